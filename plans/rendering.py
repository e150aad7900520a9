"""Markdown to safe HTML, and the marked-up difference between two texts.

The rendering and its sanitiser are the portal's one (core/markdown.py, shared with the public
information pages): no raw HTML reaches the page, whatever the author typed.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core import markdown as core_markdown


def render_markdown(text: str) -> SafeString:
    """Render a section's Markdown to HTML that is safe to put on a page (core.markdown).

    Headings inside a section start at h3: the section title is the h2."""
    return core_markdown.render_markdown(text, top_heading=3)


# A word with the whitespace after it; leading whitespace is a token of its own.
_TOKEN = re.compile(r"\s+|\S+\s*", re.UNICODE)

# The comparison of one section may do at most this much work. A unit is one step of
# difflib's matcher: a line or word looked at, or one candidate match tried (difflib's inner
# loop runs once per pair of equal items, so a text of a few repeated lines costs the product
# of the lengths, however short it is). Past the budget the section falls back to a linear
# comparison of whole lines. About 0.1 s of CPU on the development machine; see
# bench/plans_diff.py.
WORK_BUDGET = 400_000
# Word-by-word comparison only for changed line blocks of at most this many tokens a side;
# bigger blocks are marked as a whole.
WORD_DIFF_MAX_TOKENS = 5_000
# Above this many differing lines (after the lines both versions start and end with) the
# line-level matcher is not even tried.
LINE_DIFF_MAX_LINES = 4_000


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


class _OverBudget(Exception):
    pass


class WorkBudget:
    """Units of work left for one section's comparison (see WORK_BUDGET)."""

    def __init__(self, units: int = WORK_BUDGET) -> None:
        self.units = units
        self.spent = 0

    def charge(self, units: int) -> None:
        if self.spent + units > self.units:
            raise _OverBudget
        self.spent += units


class _BoundedMatcher(difflib.SequenceMatcher):
    """difflib's matcher that charges its work to a budget *before* doing it and gives up
    (raises _OverBudget) when the budget would be exceeded, so no input makes it run long."""

    def __init__(self, a: list[str], b: list[str], budget: WorkBudget) -> None:
        self.budget = budget
        budget.charge(len(a) + len(b) + 1)  # indexing b
        super().__init__(a=a, b=b, autojunk=False)

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        # The inner loop of difflib visits each position in b of each item of a[alo:ahi]:
        # count those before running it, stopping as soon as the budget is passed.
        cost = (ahi - alo) + (bhi - blo) + 1
        left = self.budget.units - self.budget.spent
        if cost > left:
            raise _OverBudget
        b2j, a = self.b2j, self.a
        for i in range(alo, ahi):
            cost += len(b2j.get(a[i], ()))
            if cost > left:
                raise _OverBudget
        self.budget.charge(cost)
        return super().find_longest_match(alo, ahi, blo, bhi)


class _Marker:
    def __init__(self) -> None:
        self.left: list[str] = []
        self.right: list[str] = []
        self.changed = False
        self.coarse = False  # some changed block was marked as a whole, not word by word
        self.removed = escape(_("verwijderd:"))
        self.added = escape(_("toegevoegd:"))
        self.end = escape(_("einde wijziging"))

    def same(self, old: str, new: str) -> None:
        self.left.append(escape(old))
        self.right.append(escape(new))

    def removed_text(self, text: str) -> None:
        if text:
            self.changed = True
            self.left.append(
                f'<del><span class="visually-hidden">{self.removed} </span>{escape(text)}'
                f'<span class="visually-hidden"> {self.end}</span></del>'
            )

    def added_text(self, text: str) -> None:
        if text:
            self.changed = True
            self.right.append(
                f'<ins><span class="visually-hidden">{self.added} </span>{escape(text)}'
                f'<span class="visually-hidden"> {self.end}</span></ins>'
            )

    def words(self, old: str, new: str, budget: WorkBudget) -> None:
        """A changed block word by word while the budget lasts, else marked as a whole."""
        old_tokens, new_tokens = _tokens(old), _tokens(new)
        if max(len(old_tokens), len(new_tokens)) > WORD_DIFF_MAX_TOKENS:
            self.coarse = True
            self.removed_text(old)
            self.added_text(new)
            return
        try:
            opcodes = _BoundedMatcher(old_tokens, new_tokens, budget).get_opcodes()
        except _OverBudget:
            self.coarse = True
            self.removed_text(old)
            self.added_text(new)
            return
        for opcode, a1, a2, b1, b2 in opcodes:
            old_part, new_part = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
            if opcode == "equal":
                self.same(old_part, new_part)
            else:
                self.removed_text(old_part)
                self.added_text(new_part)


class Comparison(NamedTuple):
    left: SafeString  # the old text, removed parts in <del>
    right: SafeString  # the new text, added parts in <ins>
    changed: bool
    coarse: bool  # too big to compare word by word: whole differing lines are marked
    work: int  # units of the budget spent (tests and the benchmark read this)


def _common_ends(old_lines: list[str], new_lines: list[str]) -> tuple[int, int]:
    """How many lines both lists start with, and how many they end with after that."""
    limit = min(len(old_lines), len(new_lines))
    head = 0
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    return head, tail


def _mark_lines_coarsely(marker: _Marker, old_lines: list[str], new_lines: list[str]) -> None:
    """Linear time: a line is marked when the other side does not have it (as often), so the
    lines that differ stand out; if only the order differs, every line is marked."""
    old_count, new_count = Counter(old_lines), Counter(new_lines)
    if old_count == new_count:
        marker.removed_text("".join(old_lines))
        marker.added_text("".join(new_lines))
        return
    spare_new = new_count - old_count  # lines the new side has more often
    spare_old = old_count - new_count
    _mark_runs(old_lines, spare_old, marker.removed_text, marker.left)
    _mark_runs(new_lines, spare_new, marker.added_text, marker.right)


def _mark_runs(lines: list[str], spare: Counter, mark, side: list[str]) -> None:
    """Lines the other side lacks are marked, consecutive ones as one run (one <del> or <ins>
    for a block, not one per line: a 10,000-line section stays a page of modest size)."""
    run: list[str] = []
    kept: list[str] = []
    for line in lines:
        if spare[line] > 0:
            spare[line] -= 1
            if kept:
                side.append(escape("".join(kept)))
                kept = []
            run.append(line)
        else:
            if run:
                mark("".join(run))
                run = []
            kept.append(line)
    if run:
        mark("".join(run))
    if kept:
        side.append(escape("".join(kept)))


def compare_texts(old: str, new: str, *, budget: WorkBudget | None = None) -> Comparison:
    """The difference as two HTML fragments (old with <del>, new with <ins>).

    The lines both versions start and end with are set aside first; the rest is compared line
    by line, and only line blocks that changed are compared word by word. All of this runs on
    a fixed budget of work (WORK_BUDGET): a section too big or too repetitive to compare
    within it falls back to marking whole lines that differ (linear time) and says so
    (`coarse`). Each marked change carries a visually hidden label, so screen readers
    announce it too (not every one reads <del> and <ins> out by itself).
    """
    budget = budget or WorkBudget()
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    head, tail = _common_ends(old_lines, new_lines)
    old_mid = old_lines[head : len(old_lines) - tail]
    new_mid = new_lines[head : len(new_lines) - tail]
    marker = _Marker()
    marker.same("".join(old_lines[:head]), "".join(new_lines[:head]))
    coarse = False
    try:
        if len(old_mid) + len(new_mid) > LINE_DIFF_MAX_LINES:
            raise _OverBudget
        opcodes = _BoundedMatcher(old_mid, new_mid, budget).get_opcodes()
    except _OverBudget:
        coarse = True
        _mark_lines_coarsely(marker, old_mid, new_mid)
    else:
        for opcode, a1, a2, b1, b2 in opcodes:
            old_part, new_part = "".join(old_mid[a1:a2]), "".join(new_mid[b1:b2])
            if opcode == "equal":
                marker.same(old_part, new_part)
            elif opcode == "replace" and a2 - a1 == b2 - b1:
                # Lines edited in place: compare them pair by pair, which stays cheap.
                for old_line, new_line in zip(old_mid[a1:a2], new_mid[b1:b2], strict=True):
                    marker.words(old_line, new_line, budget)
            else:
                marker.words(old_part, new_part, budget)
    tail_at = len(old_lines) - tail
    marker.same("".join(old_lines[tail_at:]), "".join(new_lines[len(new_lines) - tail :]))
    return Comparison(
        mark_safe("".join(marker.left)),  # noqa: S308  (every piece is escaped above)
        mark_safe("".join(marker.right)),  # noqa: S308
        marker.changed,
        coarse or marker.coarse,
        budget.spent,
    )


def diff_texts(old: str, new: str) -> tuple[SafeString, SafeString, bool]:
    """compare_texts without the bookkeeping: (old HTML, new HTML, whether anything changed)."""
    comparison = compare_texts(old, new)
    return comparison.left, comparison.right, comparison.changed
