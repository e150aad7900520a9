"""A visitor who is not logged in reaches, from the public home page, each service, "Ontslag?
Wat nu?", the nearest union house and the next meeting in at most three clicks (the union's
vision: "binnen 3 muisklikken"). Every click that loads a page is counted; typing is not.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import serious_accessibility_violations
from tests.e2e.test_phone_width import WIDEST_ELEMENTS
from tests.meetings.helpers import make_meeting

pytestmark = pytest.mark.e2e

MAX_CLICKS = 3
SERVICES = [
    "Spreekuren werk & inkomen",
    "Loopbaan FNV: een loopbaanafspraak",
    "Van Werk Naar Werk en mobiliteitsteams",
    "Informatiebijeenkomsten",
]
FIRST_STEPS = "Ontslag? Wat nu?"


class Journey:
    """A visit that starts at the front door and counts the clicks that load a page."""

    def __init__(self, page) -> None:
        self.page = page
        self.clicks = 0
        page.goto("/")

    def click(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()
        self.clicks += 1

    def heading(self) -> str:
        return self.page.locator("h1").inner_text()


@pytest.mark.parametrize("title", [*SERVICES, FIRST_STEPS])
def test_each_service_and_the_first_steps_are_within_three_clicks(page, live_cast, title):
    journey = Journey(page)
    journey.click(page.get_by_role("link", name=title, exact=False).first)
    assert journey.heading() == title
    assert re.search(r"/informatie/[\w-]+/$", page.url)
    assert journey.clicks <= MAX_CLICKS


def test_the_nearest_union_house_is_within_three_clicks(page, live_cast):
    journey = Journey(page)
    page.get_by_label("Jouw postcode").fill("3511 AB")
    journey.click(page.get_by_role("button", name="Zoeken"))
    assert "/vakbondshuizen/" in page.url and "3511" in page.url
    first_house = page.locator(
        "main a[href^='/vakbondshuizen/']:not([href='/vakbondshuizen/']):not([href*='?'])"
    ).first
    journey.click(first_house)
    assert re.search(r"/vakbondshuizen/[\w-]+/$", page.url)
    assert live_cast.union_house.name in journey.heading()
    assert journey.clicks <= MAX_CLICKS


def test_the_next_meeting_is_within_three_clicks(page, live_cast):
    meeting = make_meeting(live_cast, title="Wat te doen bij ontslag", days=3)
    journey = Journey(page)
    agenda = page.locator("section.agenda")
    journey.click(agenda.get_by_role("link", name="Wat te doen bij ontslag"))
    assert page.url.endswith(f"/bijeenkomsten/{meeting.pk}/")
    assert "Wat te doen bij ontslag" in journey.heading()
    assert journey.clicks <= MAX_CLICKS


def test_the_first_steps_page_also_leads_to_the_next_meeting(page, live_cast):
    meeting = make_meeting(live_cast, title="Wat te doen bij ontslag", days=3)
    journey = Journey(page)
    journey.click(page.get_by_role("link", name=FIRST_STEPS))
    journey.click(
        page.locator("section.agenda").get_by_role("link", name="Wat te doen bij ontslag")
    )
    assert page.url.endswith(f"/bijeenkomsten/{meeting.pk}/")
    assert journey.clicks <= MAX_CLICKS


def test_the_front_door_is_accessible_and_fits_a_phone(phone_page, live_cast):
    phone_page.set_viewport_size({"width": 375, "height": 800})
    for path in ["/", "/informatie/ontslag-wat-nu/", "/informatie/"]:
        phone_page.goto(path)
        assert phone_page.locator("h1").count() == 1, path
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width, phone_page.evaluate(WIDEST_ELEMENTS, 375))
        assert serious_accessibility_violations(phone_page) == [], path
    phone_page.goto("/")
    phone_page.keyboard.press("Tab")
    skip = phone_page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
