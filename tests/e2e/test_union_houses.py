"""A visitor on a phone types a postcode, finds the nearest union house with its next
consultation hour, and opens its page: no login, no sideways scrolling, no serious
accessibility violations."""

from __future__ import annotations

import random

import pytest

from regions.demo import seed
from regions.models import UnionHouse
from tests.e2e.conftest import serious_accessibility_violations
from tests.e2e.test_phone_width import PHONE_WIDTH, WIDEST_ELEMENTS

pytestmark = pytest.mark.e2e


def test_a_visitor_finds_the_nearest_union_house_by_postcode_on_a_phone(phone_page, live_cast):
    # The cast's Utrecht house stands in for the demo's; the seeder gives it hours and a
    # closure, and adds Nieuwegein and Zeist.
    UnionHouse.objects.filter(name="Vakbondshuis Utrecht").update(is_demo=True)
    seed(rng=random.Random(1), fake=None)
    page = phone_page
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto("/vakbondshuizen/")
    page.get_by_label("Jouw postcode").fill("3511 ab")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken").click()
    assert page.get_by_role("heading", name="Vakbondshuizen in regio Midden-Utrecht").is_visible()
    first = page.locator("article.house-card").first
    assert "Vakbondshuis Utrecht" in first.inner_text()
    assert "Volgende spreekuur werk & inkomen" in first.inner_text()
    assert page.evaluate(WIDEST_ELEMENTS, PHONE_WIDTH) == ""
    assert serious_accessibility_violations(page) == []

    with page.expect_navigation():
        first.get_by_role("link", name="Vakbondshuis Utrecht").click()
    house = UnionHouse.objects.get(name="Vakbondshuis Utrecht")
    assert page.url.endswith(house.get_absolute_url())
    text = page.locator("main").inner_text()
    for expected in [
        "Solidariteitsplein 14",
        "Openingstijden",
        "Loopbaanspreekuur",
        "Kerstvakantie",
    ]:
        assert expected in text, expected
    assert page.evaluate(WIDEST_ELEMENTS, PHONE_WIDTH) == ""
    assert serious_accessibility_violations(page) == []


def test_a_wrong_postcode_is_said_at_the_field(phone_page, live_cast):
    page = phone_page
    page.goto("/vakbondshuizen/?postcode=12")
    field = page.get_by_label("Jouw postcode")
    assert field.get_attribute("aria-invalid") == "true"
    assert "zoals 3511 AB" in page.locator("#postcode-error").inner_text()
    assert serious_accessibility_violations(page) == []
