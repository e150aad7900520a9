"""A member phones the union house (#13 item 6): the consultant finds her by member number from
the home page, books a career appointment for her (she has no e-mail address), and prints the
confirmation letter. The member's open-appointments limit is shown before booking."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core import mail

from loopbaan.models import Appointment
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.factories import MemberFactory
from tests.loopbaan.helpers import consultant_at

pytestmark = pytest.mark.e2e


def test_a_consultant_books_for_a_member_by_phone_and_prints_the_letter(page, live_cast):
    house = live_cast.union_house
    house.phone, house.street, house.house_number = "030 123 45 67", "Oudegracht", "10"
    house.save()
    pool = [
        consultant_at(house, weekday=2, start=time(9), end=time(13), full_name=name)
        for name in ("Anouk de Wit", "Bram Jansen")
    ]
    caller = MemberFactory(
        member_number="4455667",
        first_name="Gerda",
        last_name="Visser",
        email="",
        user=None,
        street="Lange Nieuwstraat",
        house_number="12a",
        postcode="3512 PH",
        city="Utrecht",
        birth_date=date(1961, 4, 9),
        region=live_cast.region,
    )

    log_in(page, live_cast.consultant)
    page.get_by_role("link", name="Afspraak voor een lid dat belt").click()
    page.wait_for_url("**/afspraken/telefoon/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Lidnummer").fill("4455667")
    page.get_by_role("button", name="Lid zoeken").click()
    page.get_by_role("link", name="Gerda Visser").click()
    page.wait_for_url("**/telefoon/lid/*/")
    assert "0 van de 2 open afspraken" in page.content()
    assert "geen e-mailadres" in page.content()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Vakbondshuis Utrecht").click()
    page.wait_for_url("**/telefoon/lid/*/maken/*/")
    assert serious_accessibility_violations(page) == []
    page.locator(".slot-list a").first.click()
    page.wait_for_url("**/telefoon/lid/*/maken/*/*/")
    page.get_by_label("Vraag van het lid in het kort (niet verplicht)").fill("Reorganisatie")
    page.get_by_role("button", name="Afspraak bevestigen").click()
    page.wait_for_url("**/telefoon/afspraak/*/")
    assert "De afspraak is geboekt" in page.content()
    assert "per brief" in page.content()
    assert serious_accessibility_violations(page) == []

    appointment = Appointment.objects.get(member=caller)
    assert appointment.booked_by == live_cast.consultant
    assert set(appointment.active_consultants()) == set(pool)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in pool)

    page.get_by_role("link", name="Brief afdrukken").click()
    page.wait_for_url("**/brief/")
    assert serious_accessibility_violations(page) == []
    letter = page.locator("article.letter")
    for text in (
        "Gerda Visser",
        "Lange Nieuwstraat 12a",
        "3512 PH",
        "Anouk en Bram",
        "030 123 45 67",
    ):
        assert text in letter.inner_text(), text
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.get_by_role("button", name="Afdrukken").is_hidden()
    assert letter.get_by_text("Gerda Visser").first.is_visible()
    # The print button opens the browser's print dialog (stubbed here: headless has none).
    page.emulate_media(media="screen")
    page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.__printed") is True


def test_the_week_view_is_columns_on_a_wide_screen_and_a_list_on_a_phone(
    page, phone_page, live_cast
):
    house = live_cast.union_house
    for _ in range(2):
        consultant_at(house, weekday=2, start=time(9), end=time(17))
    url = f"/afspraken/maken/{house.pk}/"
    tops = {}
    for name, browser_page in (("wide", page), ("phone", phone_page)):
        log_in(browser_page, live_cast.member_user)
        browser_page.goto(url)
        days = browser_page.locator(".week-day")
        assert days.count() == 5  # Monday to Friday of one week
        tops[name] = {round(days.nth(i).bounding_box()["y"]) for i in range(5)}
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= browser_page.viewport_size["width"], (name, width)
        height = browser_page.locator(".week").bounding_box()["height"]
        assert height < 1600, (name, height)  # no 3,000 px column of fifteen days
    assert len(tops["wide"]) == 1  # the days side by side
    assert len(tops["phone"]) == 5  # one below the other
    assert serious_accessibility_violations(phone_page) == []
