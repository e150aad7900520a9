"""The version comparison does bounded work, whatever the texts (issue 12, item 11).

A probe compared two sections of 10,000 one-character lines: difflib's matcher visits every
pair of equal lines, so it did work in the product of the lengths (16.5 s a section, and four
such requests slowed everyone tenfold). Work is measured here, never time: difflib's
`find_longest_match` is wrapped to count the candidate matches its inner loop visits.
"""

from __future__ import annotations

import difflib
import random
import re

import pytest
from django.urls import reverse

from plans.rendering import WORK_BUDGET, compare_texts
from tests.conftest import login
from tests.plans.helpers import make_plan, make_version

COARSE_NOTE = "Te groot om woord voor woord te vergelijken"


@pytest.fixture
def difflib_work(monkeypatch):
    """Counts the steps difflib's matcher takes (each element of a looked at, plus each
    position of b its inner loop visits), for any caller of SequenceMatcher."""
    counted = {"steps": 0}
    original = difflib.SequenceMatcher.find_longest_match

    def counting(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        for i in range(alo, ahi):
            counted["steps"] += 1 + len(self.b2j.get(self.a[i], ()))
        return original(self, alo, ahi, blo, bhi)

    monkeypatch.setattr(difflib.SequenceMatcher, "find_longest_match", counting)
    return counted


def _text(html: str) -> str:
    """The text of a diff fragment without the marks and their hidden labels."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    html = re.sub(r"</?(del|ins)>", "", html)
    return html.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _lines(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("ab") + "\n" for _ in range(count))


def _word_lines(seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice("ab") for _ in range(300)) for _ in range(60))


HOSTILE = {
    "alternating": ("a\nb\n" * 5000, "b\na\n" * 5000),
    "random": (_lines(1, 10_000), _lines(2, 10_000)),
    "under the line cap": (_lines(3, 1_500), _lines(4, 1_500)),
    "words": (_word_lines(5), _word_lines(6)),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_sections_compare_within_the_work_budget(case, difflib_work):
    old, new = HOSTILE[case]
    comparison = compare_texts(old, new)
    assert difflib_work["steps"] <= WORK_BUDGET
    assert comparison.work <= WORK_BUDGET
    assert comparison.changed and comparison.coarse
    # Nothing of either text is lost in the fallback.
    assert _text(comparison.left) == old and _text(comparison.right) == new


def test_two_10000_line_sections_fall_back_to_marking_the_lines_that_differ(difflib_work):
    old = "a\nb\n" * 5000 + "oude regel\n"
    new = "b\na\n" * 5000 + "nieuwe regel\n"
    comparison = compare_texts(old, new)
    assert comparison.coarse and difflib_work["steps"] <= WORK_BUDGET
    assert comparison.left.count("<del>") == 1 and "oude regel" in comparison.left.split("<del>")[1]
    assert comparison.right.count("<ins>") == 1
    assert "nieuwe regel" in comparison.right.split("<ins>")[1]


def test_an_ordinary_edit_is_still_compared_word_by_word():
    old = "Intro.\n" + "Een regel over de regio.\n" * 50 + "Krapte in de zorg.\n" + "Slot.\n"
    new = "Intro.\n" + "Een regel over de regio.\n" * 50 + "Krimp in de zorg.\n" + "Slot.\n"
    comparison = compare_texts(old, new)
    assert comparison.changed and not comparison.coarse
    assert "Krapte" in comparison.left.split("<del>")[1]
    assert "in de zorg" not in comparison.right.split("<ins>")[1].split("</ins>")[0]


def test_the_compare_page_says_when_a_section_was_too_big_for_words(cast, client):
    old, new = HOSTILE["alternating"]
    plan = make_plan(cast.region, sections={"context": new})
    make_version(plan, number=1, sections={"context": old, "themes": "Gelijk"})
    make_version(plan, number=2, sections={"context": new, "themes": "Gelijk"})
    login(client, cast.coordinator)
    page = client.get(reverse("plans:compare", kwargs={"pk": plan.pk})).content.decode()
    assert page.count(COARSE_NOTE) == 1
