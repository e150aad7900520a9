"""Counts shown to people: the minimum group size and complementary suppression, for every app.

This is the one place that decides which counts may be shown (security.md: "no count below
the minimum group size is shown broken down"; a public page never shows a figure below it).
It sits at the bottom with `fnvregio.access`, so every app can use it.

Two kinds of figure:

- `shown(count)`: a count on its own (members who joined, no-shows). Below the minimum group
  size and above zero it reads "minder dan N".
- `part_of(count, total)`: a part of a shown total whose other part is not shown ("waarvan
  online"): the other part is total minus this one, so both count as a split in two.
- `suppress(parts, total=...)` / `breakdown(...)`: the parts of a total (outcomes of the
  finished trajectories, members per sector). Hiding only the small parts is not enough: the
  total minus the shown parts gives the hidden one back ("Beëindigd 6; nieuwe baan 5;
  opleiding: minder dan 3" gives 1). So a breakdown never hides exactly one part, and never
  only parts that must all be 1 (two hidden parts adding up to 2): while that would be so,
  the smallest other part that is not zero is hidden too. If the total itself is below the
  minimum, or no other part is left to hide, no part is shown. A hidden part reads
  "afgeschermd" whether it is small or hidden to protect a small one, so a reader cannot
  tell which is which (a complementary part of 5 shown as "minder dan 3" would be untrue, and
  would tell the reader which of the two is the small one).

What a reader can work out is tested in `tests/fnvregio/test_figures.py`: from the total, the
shown parts and a remainder the caller does not show as a part (protected like a part; when
it is not hidden, the reader is assumed to know it), no hidden part has only one possible
value. Callers do not break a hidden part down further. Figures in overlapping tables (per
region and per adviser on one page) are protected table by table only. The signals
templates still label every hidden cell "minder dan N" (templates/signals/_cells.html,
signals/charts.py), also a part hidden to protect another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.conf import feature_setting


def min_group_size() -> int:
    return int(feature_setting("MIN_GROUP_SIZE"))


def below_minimum_text(minimum: int | None = None) -> str:
    return _("minder dan %(n)s") % {"n": min_group_size() if minimum is None else minimum}


def hidden_text() -> str:
    """What a hidden part of a breakdown shows (the same for every hidden part)."""
    return _("afgeschermd")


def shown(count: int, *, minimum: int | None = None) -> int | str:
    """A count on its own: the number, or "minder dan N" when it could point at someone."""
    minimum = min_group_size() if minimum is None else minimum
    if 0 < count < minimum:
        return below_minimum_text(minimum)
    return count


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: hidden

    @property
    def suppressed(self) -> bool:
        return self.count is None


def hidden_positions(
    counts: Sequence[int], *, total: int | None = None, minimum: int | None = None
) -> set[int]:
    """Which parts of a breakdown to hide (positions in `counts`); see the module docstring.

    `total` defaults to the sum of the parts. A larger total leaves a remainder the page does
    not show as a part (the other outcomes): it is protected like a part of its own, at
    position len(counts), and may be among the positions returned."""
    minimum = min_group_size() if minimum is None else minimum
    counts = list(counts)
    total = sum(counts) if total is None else total
    if total > sum(counts):
        counts.append(total - sum(counts))
    everything = set(range(len(counts)))
    if 0 < total < minimum:
        return everything
    hidden = {i for i, n in enumerate(counts) if 0 < n < minimum}

    def safe() -> bool:
        # Hidden parts are at least 1 each (zeros are shown); with their sum known, one is
        # pinned down when it is alone or when they are all 1.
        return not hidden or (len(hidden) >= 2 and sum(counts[i] for i in hidden) > len(hidden))

    while not safe():
        others = sorted((n, i) for i, n in enumerate(counts) if i not in hidden and n > 0)
        if not others:
            return everything
        hidden.add(others[0][1])
    return hidden


def suppress(
    items: Sequence[tuple[str, int]], *, total: int | None = None, minimum: int | None = None
) -> list[Cell]:
    """The parts of a total as cells, the ones that must not be shown with count None."""
    hidden = hidden_positions([n for _label, n in items], total=total, minimum=minimum)
    return [Cell(label, None if i in hidden else n) for i, (label, n) in enumerate(items)]


def breakdown(
    items: Sequence[tuple[str, int]], *, total: int | None = None, minimum: int | None = None
) -> list[tuple[str, int | str]]:
    """The parts of a total ready to show: (label, number or "afgeschermd")."""
    return [
        (cell.label, hidden_text() if cell.count is None else cell.count)
        for cell in suppress(items, total=total, minimum=minimum)
    ]


def part_of(count: int, total: int, *, minimum: int | None = None) -> int | str:
    """A part of a shown total whose other part is not shown ("waarvan online" of the
    appointments held, "vast contract" of the new jobs). The other part is as easily worked
    out as shown, so this is a split in two: hidden when either side is small."""
    [(_label, value)] = breakdown([("", count)], total=total, minimum=minimum)
    return value
