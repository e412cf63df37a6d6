"""Which counts of the counsellors' log may be shown (R-DP-3): small-cell and
complementary suppression.

A count of 1 to SMALL_COUNT_LIMIT could point at a person and is shown as "< 5" (primary
suppression). That alone is not enough when the table also shows totals: a row total
minus the other counts of the row gives back the one hidden count. So wherever a total
(a row, a column, the table, or the same total reached through another table) would let
a reader recompute a hidden count, a second count is hidden as well, shown as "≥ 5"
(complementary suppression); it is always a count above the limit, the smallest one
that closes the gap, so that as little as possible is lost.

A table is described as cells (any hashable key with its count) and the equations a
reader can see between them ("these cells add up to that one"). `suppress()` hides
cells until, for every small count, what is shown still leaves more than one value
possible: no hidden cell follows from the equations (no equation has exactly one hidden
cell, nor does any combination of them single one out), and the bounds that the labels give
away ("< 5" is 0 to 4, "≥ 5" is at least 5) do not pin a hidden cell to one value either.
Where only zeros are left to hide (a table of a few small counts), a 0 is shown as "< 5"
too, so a reader can never be sure that a "< 5" is not a 0.
Pure functions; `tests/counsel/test_suppression.py` checks the result against every
assignment of values that a reader could try.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from django.utils.translation import gettext

from .constants import SMALL_COUNT_LIMIT


class Hidden(Enum):
    SMALL = "small"  # 1..SMALL_COUNT_LIMIT, shown as "< 5"
    COMPLEMENT = "complement"  # above the limit, hidden to protect a small one: "≥ 5"
    ZERO = "zero"  # a 0 hidden to protect a small one where no larger count is left: "< 5"


# An exact coefficient of the elimination below.
Coefficient = int | Fraction


@dataclass(frozen=True)
class Equation:
    """What a reader sees adding up: the sum of `parts` is `total`."""

    parts: tuple[Hashable, ...]
    total: Hashable

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (*self.parts, self.total)


def is_small(count: int) -> bool:
    return 0 < count <= SMALL_COUNT_LIMIT


def _range(kind: Hidden) -> tuple[int, int | None]:
    """What a label tells a reader: "< 5" is 0 to 4 (a hidden 0 looks the same), "≥ 5"
    is at least 5."""
    if kind is Hidden.COMPLEMENT:
        return SMALL_COUNT_LIMIT + 1, None
    return 0, SMALL_COUNT_LIMIT


def _hide_one_more(
    values: Mapping[Hashable, int],
    hidden: dict[Hashable, Hidden],
    equation: Equation,
    *,
    zero: bool = True,
) -> bool:
    """Hide the smallest shown non-zero cell of `equation` ("≥ 5"), else a shown 0
    ("< 5", when every count left is 0); False if every cell is hidden already."""
    candidates = [
        (values[cell] == 0, values[cell], position, cell)
        for position, cell in enumerate(equation.cells)
        if cell not in hidden and (zero or values[cell] > 0)
    ]
    if not candidates:
        return False
    zero, _value, _position, cell = min(candidates, key=lambda c: c[:3])
    hidden[cell] = Hidden.ZERO if zero else Hidden.COMPLEMENT
    return True


def _exposed(
    values: Mapping[Hashable, int],
    hidden: Mapping[Hashable, Hidden],
    equations: Sequence[Equation],
) -> list[Hashable]:
    """The hidden cells that we cannot prove a reader is unsure of.

    The equations, with the shown cells filled in, are brought to reduced row echelon
    form over the hidden cells (exact fractions): every pivot cell is a constant minus a
    combination of free cells. A free cell is *movable* when moving it one up or down
    from its true value, the other free cells kept, keeps every pivot cell a whole number
    within what its label allows: the reader then has two values for it, and for every
    pivot cell that depends on it. Every other hidden cell counts as exposed: those that
    follow from the equations alone, and those that the bounds pin. (Conservative: it
    may hide more than needed, never less.)
    """
    columns = {cell: n for n, cell in enumerate(hidden)}
    cells = list(columns)
    # Pivot column -> its row (coefficient 1). Coefficients stay exact: whole numbers as
    # int (the equations' 1 and -1 and most of what elimination makes of them), a
    # Fraction only where a division leaves one; int is several times faster.
    pivots: dict[int, dict[int, Coefficient]] = {}
    holders: dict[int, set[int]] = {}  # column -> the pivot rows that have it (not as pivot)
    for equation in equations:
        row: dict[int, Coefficient] = {}
        for cell, sign in [(p, 1) for p in equation.parts] + [(equation.total, -1)]:
            if cell in columns:
                col = columns[cell]
                row[col] = row.get(col, 0) + sign
        row = {c: v for c, v in row.items() if v}
        for col in [c for c in row if c in pivots]:
            factor = row.get(col)
            if factor:
                for c, v in pivots[col].items():
                    row[c] = row.get(c, 0) - factor * v
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        row = _normalised(row, row[col])
        for other_col in holders.pop(col, set()):
            other = pivots[other_col]
            factor = other[col]
            for c, v in row.items():
                value = other.get(c, 0) - factor * v
                if value:
                    other[c] = value
                    if c != other_col:
                        holders.setdefault(c, set()).add(other_col)
                else:
                    other.pop(c, None)
                    holders.get(c, set()).discard(other_col)
        pivots[col] = row
        for c in row:
            if c != col:
                holders.setdefault(c, set()).add(col)
    free = [n for n in range(len(cells)) if n not in pivots]
    # Per free column, the pivot rows it appears in (with its coefficient there).
    dependants: dict[int, list[tuple[int, Coefficient]]] = {f: [] for f in free}
    for col, row in pivots.items():
        for c, v in row.items():
            if c != col:
                dependants[c].append((col, v))
    movable: set[int] = set()
    for f in free:
        for step in (1, -1):
            if _fits(cells, values, hidden, dependants[f], f, step):
                movable.add(f)
                break
    safe = set(movable)
    for col, row in pivots.items():
        if any(c in movable for c in row if c != col):
            safe.add(col)
    return [cells[n] for n in range(len(cells)) if n not in safe]


def _normalised(row: dict[int, Coefficient], pivot: Coefficient) -> dict[int, Coefficient]:
    """`row` divided by `pivot`, exactly; without a Fraction where `pivot` is 1 or -1."""
    if pivot == 1:
        return row
    if pivot == -1:
        return {c: -v for c, v in row.items()}
    return {c: Fraction(v) / pivot for c, v in row.items()}


def _fits(
    cells: list[Hashable],
    values: Mapping[Hashable, int],
    hidden: Mapping[Hashable, Hidden],
    dependants: Iterable[tuple[int, Coefficient]],
    free: int,
    step: int,
) -> bool:
    """Does moving free cell `free` by `step` keep every cell within its label?
    `dependants`: the pivot cells whose row has `free`, with its coefficient there."""

    def allowed(n: int, value: Coefficient) -> bool:
        if value.denominator != 1:
            return False
        low, high = _range(hidden[cells[n]])
        return value >= low and (high is None or value <= high)

    if not allowed(free, values[cells[free]] + step):
        return False
    return all(
        allowed(col, values[cells[col]] - coefficient * step) for col, coefficient in dependants
    )


@dataclass
class _Walked:
    """What `_hide_near` found in earlier walks of one `suppress`: equations (by id)
    with every cell hidden, and cells from which every reachable cell is hidden."""

    full: set[int]
    dead: set[Hashable]


def _hide_near(
    values: Mapping[Hashable, int],
    hidden: dict[Hashable, Hidden],
    containing: Mapping[Hashable, list[Equation]],
    cell: Hashable,
    walked: _Walked,
) -> bool:
    """Hide one more cell in an equation of `cell` (a larger count first, a 0 only where
    none is left); where every cell of those is hidden already, one equation further.

    Cells are only ever hidden, never shown again, so `walked` remembers across calls
    the equations found wholly hidden (skipped) and the cells from which nothing is left
    to hide (answered at once): a walk over a large, mostly hidden table then reads each
    equation a bounded number of times rather than once per exposed cell. The result is
    the same as walking afresh."""
    if cell in walked.dead:
        return False
    seen = {cell}
    seen_equations: set[int] = set()
    frontier = [cell]
    while frontier:
        # The equations of this step not looked at in an earlier one (those are wholly
        # hidden: the earlier step found nothing to hide in them), in the order met.
        equations: dict[int, Equation] = {}
        for c in frontier:
            for e in containing.get(c, []):
                key = id(e)
                if key not in seen_equations:
                    seen_equations.add(key)
                    equations[key] = e
        for zero in (False, True):
            for key, e in equations.items():
                if key in walked.full:
                    continue
                if _hide_one_more(values, hidden, e, zero=zero):
                    return True
                if zero:  # nothing shown was left, not even a 0
                    walked.full.add(key)
        frontier = [c for e in equations.values() for c in e.cells if c not in seen]
        seen.update(frontier)
    walked.dead.update(seen)
    return False


def suppress(
    values: Mapping[Hashable, int], equations: Iterable[Equation]
) -> dict[Hashable, Hidden]:
    """The cells to hide, and how: every small count, and the complements that keep each
    of them from being recomputed through the equations."""
    equations = list(equations)
    hidden: dict[Hashable, Hidden] = {k: Hidden.SMALL for k, v in values.items() if is_small(v)}
    if not hidden:
        return hidden
    containing: dict[Hashable, list[Equation]] = {}
    walked = _Walked(set(), set())
    for equation in equations:
        for cell in equation.cells:
            containing.setdefault(cell, []).append(equation)
    while True:
        progress = False
        for equation in equations:
            inside = [cell for cell in equation.cells if cell in hidden]
            if (
                len(inside) == 1
                and hidden[inside[0]] is Hidden.SMALL
                and _hide_one_more(values, hidden, equation)
            ):
                progress = True
        if progress:
            continue
        # Only a small count needs protecting: a complement or a hidden 0 that a reader
        # could work out gives no small count away by itself (the check of the small
        # counts takes what can be worked out into account).
        exposed = [c for c in _exposed(values, hidden, equations) if hidden[c] is Hidden.SMALL]
        # One more cell next to each exposed cell (in one round, so that a large table
        # takes few rounds): a larger count first, a 0 only where none is left.
        for cell in exposed:
            if _hide_near(values, hidden, containing, cell, walked):
                progress = True
        if not progress:
            return hidden


def label(value: int, hidden: Hidden | None) -> str:
    """How a cell is shown: its count, "< 5" or "≥ 5"."""
    if hidden is Hidden.SMALL or hidden is Hidden.ZERO:
        return gettext("< %(limit)d") % {"limit": SMALL_COUNT_LIMIT + 1}
    if hidden is Hidden.COMPLEMENT:
        return gettext("≥ %(limit)d") % {"limit": SMALL_COUNT_LIMIT + 1}
    return str(value)


def shown(values: Mapping[Hashable, int], equations: Iterable[Equation]) -> dict[Hashable, str]:
    """Every cell as it may be shown."""
    hidden = suppress(values, equations)
    return {key: label(value, hidden.get(key)) for key, value in values.items()}
