"""Counts for integrity officers: small numbers hidden, and not derivable from the total.

Issue 3: officers see counts, never content, with numbers below 5 shown as "< 5". A row
of counts is shown next to its total, so hiding a single small count is not enough.
"""

from hypothesis import given
from hypothesis import strategies as st

from integritas.cases import selectors


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=9))
def test_suppressed_rows_never_reveal_a_single_small_count(counts):
    shown = selectors.suppressed_row(counts)
    hidden = [i for i, text in enumerate(shown) if not text.isdigit()]
    # With the total known, one hidden count would equal the total minus the rest.
    assert len(hidden) != 1 or len(counts) == 1
    for count, text in zip(counts, shown, strict=True):
        if count < 5:
            assert text == "< 5"
        else:  # never a wrong number: shown exactly, or hidden as "≥ 5"
            assert text in (str(count), "≥ 5")
