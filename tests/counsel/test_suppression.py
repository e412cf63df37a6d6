"""Complementary suppression (R-DP-3): no small count hidden as "< 5" can be recomputed
from what the central counsellor's tables or the yearly report show.

The reader here is a strong one: they know every equation between the cells shown, that
"< 5" means 0 to 4 (a 0 is hidden too where nothing else is left) and "≥ 5" at least 5,
and they try every integer assignment of the hidden cells that fits. A small count is
safe when some fitting assignment gives it a value other than its true one.
"""

import random
import time
from collections.abc import Hashable, Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integritas.counsel import suppression
from integritas.counsel.selectors import region_table, report_table
from integritas.counsel.suppression import Equation, Hidden

LESS = "< 5"
MORE = "≥ 5"


def _another_value_fits(
    cell: Hashable,
    shown: Mapping[Hashable, str],
    values: Mapping[Hashable, int],
    equations: Sequence[Equation],
) -> bool:
    """Is there an assignment of the hidden cells, fitting every equation and label,
    in which `cell` differs from its true value? (Depth-first, with forced values.)"""
    ceiling = max(values.values()) + 1

    def domain(key: Hashable) -> range:
        if shown[key] == LESS:
            return range(5)
        if shown[key] == MORE:
            return range(5, ceiling + 1)
        value = int(shown[key])
        return range(value, value + 1)

    def propagate(assigned: dict[Hashable, int]) -> bool:
        changed = True
        while changed:
            changed = False
            for equation in equations:
                open_cells = [c for c in equation.cells if c not in assigned]
                if not open_cells:
                    if sum(assigned[p] for p in equation.parts) != assigned[equation.total]:
                        return False
                elif len(open_cells) > 1:
                    # The open cells must still be able to make up the difference.
                    known = sum(assigned[p] for p in equation.parts if p in assigned)
                    lows = [domain(c)[0] for c in open_cells]
                    highs = [domain(c)[-1] for c in open_cells]
                    if equation.total in assigned:
                        need = assigned[equation.total] - known
                        if not sum(lows) <= need <= sum(highs):
                            return False
                    else:
                        total = domain(equation.total)
                        parts_low = known + sum(lows) - lows[open_cells.index(equation.total)]
                        if parts_low > total[-1]:
                            return False
                else:
                    missing = open_cells[0]
                    known = sum(assigned[p] for p in equation.parts if p in assigned)
                    value = known if missing == equation.total else assigned[equation.total] - known
                    if value not in domain(missing):
                        return False
                    if missing == cell and value == values[cell]:
                        return False
                    assigned[missing] = value
                    changed = True
        return True

    def search(assigned: dict[Hashable, int]) -> bool:
        if not propagate(assigned):
            return False
        open_cells = [key for key in shown if key not in assigned]
        if not open_cells:
            return True
        # The most constrained first: "< 5" cells have four values.
        key = min(open_cells, key=lambda k: len(domain(k)))
        for value in domain(key):
            if key == cell and value == values[cell]:
                continue
            trial = dict(assigned)
            trial[key] = value
            if search(trial):
                return True
        return False

    start = {key: int(text) for key, text in shown.items() if text not in (LESS, MORE)}
    return search(start)


def assert_nothing_recomputable(
    values: Mapping[Hashable, int], equations: Sequence[Equation]
) -> dict[Hashable, str]:
    shown = suppression.shown(values, equations)
    for key, value in values.items():
        if suppression.is_small(value):
            assert shown[key] == LESS, key
        elif shown[key] == MORE:
            assert value > 4, key
        elif shown[key] == LESS:
            assert value == 0, key
        else:
            assert shown[key] == str(value), key
    for key, value in values.items():
        if suppression.is_small(value):
            assert _another_value_fits(key, shown, values, equations), (key, shown)
    return shown


def test_one_small_count_in_a_row_hides_a_second_one() -> None:
    values = {"a": 3, "b": 7, "c": 12, "total": 22}
    equations = [Equation(("a", "b", "c"), "total")]
    assert suppression.shown(values, equations) == {
        "a": LESS,
        "b": MORE,  # the smallest other count: 22 - 12 - 7 would give 3 back
        "c": "12",
        "total": "22",
    }


def test_a_small_total_hides_a_part() -> None:
    values = {"a": 0, "b": 9, "total": 9, "x": 2, "y": 5, "sub": 7}
    equations = [Equation(("a", "b"), "total"), Equation(("x", "y"), "sub")]
    shown = suppression.shown(values, equations)
    assert shown["x"] == LESS
    assert shown["y"] == MORE
    assert shown["sub"] == "7"


def test_no_small_count_hides_nothing() -> None:
    values = {"a": 0, "b": 7, "total": 7}
    assert suppression.suppress(values, [Equation(("a", "b"), "total")]) == {}


def test_bounds_do_not_give_a_count_away() -> None:
    # 1 + 5 = 6: "< 5" and "≥ 5" leave only 1 and 5; another cell must go as well.
    values = {"a": 1, "b": 5, "c": 9, "total": 15}
    equations = [Equation(("a", "b", "c"), "total")]
    assert_nothing_recomputable(values, equations)


@pytest.mark.requirement("R-DP-3")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # organisation
            st.integers(1, 3),  # quarter
            st.sampled_from(["integrity", "bullying"]),
            st.sampled_from([1, 2, 3, 4, 5, 7]),
        ),
        max_size=6,
        unique_by=lambda row: row[:3],
    )
)
def test_the_central_counsellors_tables_give_no_hidden_count_away(
    raw: list[tuple[int, int, str, int]],
) -> None:
    values, equations = region_table(raw, [0, 1, 2], ["integrity", "bullying"])
    assert_nothing_recomputable(values, equations)


@pytest.mark.requirement("R-DP-3")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 1),
            st.integers(1, 2),
            st.sampled_from(["integrity", "bullying"]),
            st.sampled_from([1, 2, 3, 4, 5, 7]),
        ),
        max_size=5,
        unique_by=lambda row: row[:3],
    )
)
def test_the_yearly_reports_counts_give_no_hidden_count_away(
    raw: list[tuple[int, int, str, int]],
) -> None:
    values, equations = report_table(raw, [0, 1], ["integrity", "bullying"])
    assert_nothing_recomputable(values, equations)


@pytest.mark.requirement("R-DP-3")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),  # six organisations
            st.integers(1, 4),
            st.sampled_from(["integrity", "bullying", "aggression"]),
            st.sampled_from([1, 2, 3, 5, 8, 13]),
        ),
        max_size=7,
        unique_by=lambda row: row[:3],
    )
)
def test_a_wider_region_gives_no_hidden_count_away(raw: list[tuple[int, int, str, int]]) -> None:
    values, equations = region_table(raw, list(range(6)), ["integrity", "bullying", "aggression"])
    assert_nothing_recomputable(values, equations)


@pytest.mark.requirement("R-DP-3")
def test_a_national_region_is_protected_in_bounded_work() -> None:
    """350 organisations x 8 themes x 4 quarters, a third of the cells non-zero and
    mostly small: the search takes 1.2 to 3 s on a loaded 2-core machine (5 minutes
    before issue 9's rework); the bound is ten times that, so it cannot flake, and
    still fails an exponential or much worse search. Too large for the reader's
    exhaustive search above; what a reader sees at once is checked instead: every small
    count is hidden, no equation leaves exactly one hidden small count, a "≥ 5" is one."""
    rng = random.Random(2026)
    themes = [f"theme{n}" for n in range(8)]
    raw = [
        (org, quarter, theme, rng.choice([1, 2, 3, 4, 5, 6, 7, 9, 12, 20]))
        for org in range(350)
        for quarter in (1, 2, 3, 4)
        for theme in themes
        if rng.random() < 0.3
    ]
    values, equations = region_table(raw, list(range(350)), themes)
    started = time.process_time()
    hidden = suppression.suppress(values, equations)
    assert time.process_time() - started < 30
    for cell, value in values.items():
        if suppression.is_small(value):
            assert hidden[cell] is Hidden.SMALL
        elif hidden.get(cell) is Hidden.COMPLEMENT:
            assert value > 4
    for equation in equations:
        inside = [cell for cell in equation.cells if cell in hidden]
        assert len(inside) != 1 or hidden[inside[0]] is not Hidden.SMALL


def test_hidden_kinds() -> None:
    values = {"a": 2, "b": 8, "total": 10}
    hidden = suppression.suppress(values, [Equation(("a", "b"), "total")])
    assert hidden["a"] is Hidden.SMALL
    assert hidden["b"] is Hidden.COMPLEMENT or hidden.get("total") is Hidden.COMPLEMENT


def test_the_kept_suppression_shows_what_the_search_shows() -> None:
    from integritas.counsel.selectors import _shown

    raw = [(0, 1, "integrity", 3), (0, 2, "integrity", 9), (1, 1, "bullying", 12), (2, 3, "x", 1)]
    values, equations = region_table(raw, [0, 1, 2], ["integrity", "bullying", "x"])
    expected = suppression.shown(values, equations)
    assert _shown("test", values, equations) == expected  # searched
    assert _shown("test", values, equations) == expected  # kept
