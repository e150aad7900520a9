"""The one helper for counts shown to people (fnvregio/figures.py): small counts are hidden,
and no hidden count can be worked out from a total minus the shown parts (issue 12, item 10).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures import breakdown, hidden_positions, hidden_text, part_of, shown, suppress


def test_the_example_of_the_issue_shows_neither_the_5_nor_the_1():
    """ "Beëindigd 6; nieuwe baan 5; opleiding: minder dan 3" gave the 1 away."""
    parts = [("nieuwe baan", 5), ("opleiding", 1), ("anders", 0), ("geen", 0)]
    shown_parts = dict(breakdown(parts, total=6, minimum=3))
    assert shown_parts == {
        "nieuwe baan": hidden_text(),
        "opleiding": hidden_text(),
        "anders": 0,
        "geen": 0,
    }


def test_two_hidden_ones_are_not_enough_and_a_small_total_is_not_broken_down():
    # 12 - 10 = 2 over two hidden parts of at least 1 each: both would be 1.
    assert [c.count for c in suppress([("a", 10), ("b", 1), ("c", 1)], minimum=3)] == [
        None,
        None,
        None,
    ]
    assert [c.count for c in suppress([("a", 2), ("b", 0)], minimum=3)] == [None, None]
    assert [c.count for c in suppress([("a", 1), ("b", 2), ("c", 7)], minimum=3)] == [
        None,
        None,
        7,
    ]


def test_a_count_on_its_own_reads_fewer_than_the_minimum():
    assert shown(0, minimum=3) == 0
    assert shown(2, minimum=3) == "minder dan 3"
    assert shown(3, minimum=3) == 3


def attacker_range(total: int, counts, cells, hidden: set[int], index: int) -> tuple[int, int]:
    """The values hidden part `index` can have, for a reader who knows the total, every shown
    part, the remainder the page does not show unless it is hidden itself (assumed known: it
    may be shown elsewhere), and the rule that hidden parts are at least 1 unless every part
    is hidden (then zeros may hide among them)."""
    remainder = total - sum(counts)
    known_remainder = 0 if len(counts) in hidden else remainder
    rest = total - known_remainder - sum(c.count for c in cells if c.count is not None)
    parts = len(counts) + (1 if remainder else 0)
    low = 0 if len(hidden) == parts else 1
    return low, rest - (len(hidden) - 1) * low


@settings(max_examples=400, deadline=None)
@given(
    counts=st.lists(st.integers(0, 25), min_size=1, max_size=7),
    remainder=st.integers(0, 6),
    minimum=st.integers(2, 6),
)
def test_no_hidden_count_can_be_worked_out_from_the_total(counts, remainder, minimum):
    total = sum(counts) + remainder
    if len(counts) + (1 if remainder else 0) < 2:
        return  # a "breakdown" into one part is the total itself
    cells = suppress([(str(i), n) for i, n in enumerate(counts)], total=total, minimum=minimum)
    hidden = hidden_positions(counts, total=total, minimum=minimum)
    assert {i for i, c in enumerate(cells) if c.suppressed} == hidden - {len(counts)}
    for n, cell in zip(counts, cells, strict=True):
        # Shown parts are true; every small part is hidden; a small total is not broken down.
        assert cell.count in (n, None)
        if 0 < n < minimum or 0 < total < minimum:
            assert cell.suppressed
    values = [*counts, remainder]
    for i in hidden:
        if values[i] > 0:
            low, high = attacker_range(total, counts, cells, hidden, i)
            assert low <= values[i] <= high  # the model is consistent with the truth...
            assert high > low  # ...and leaves more than one possible value


def test_a_part_of_a_shown_total_is_hidden_when_the_other_part_is_small():
    """ "Nieuwe baan 5; vast contract 4" gives away the one without a permanent contract."""
    assert part_of(4, 5, minimum=3) == hidden_text()
    assert part_of(1, 5, minimum=3) == hidden_text()
    assert part_of(3, 6, minimum=3) == 3
    assert part_of(0, 5, minimum=3) == 0 and part_of(5, 5, minimum=3) == 5
