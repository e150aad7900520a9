"""A visitor who is not a member signs up for a career trajectory through the public form, and
the adviser of their region sees the sign-up in the intake queue."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.e2e


def test_a_non_member_signs_up_and_the_adviser_sees_it_in_the_intake_queue(
    browser, live_server, live_cast
):
    cache.clear()
    visitor = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 375, "height": 800}
    )
    visitor.set_default_timeout(15000)
    page = visitor.new_page()
    page.goto("/trajecten/aanmelden/")
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam").fill("el Amrani")
    page.get_by_label("E-mailadres").fill("noor@example.org")
    page.get_by_label("Postcode").fill("3511 AB")
    page.get_by_label("Waar wil je hulp bij?").fill("Mijn contract stopt en ik zoek ander werk.")
    page.get_by_role("button", name="Aanmelding versturen").click()
    # without consent nothing is sent, and the message says why
    page.get_by_text("Zonder je toestemming").wait_for()
    page.get_by_label("Ik geef de FNV toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.get_by_role("heading", level=1, name="Aanmelding ontvangen").wait_for()
    assert serious_accessibility_violations(page) == []
    visitor.close()

    desk = browser.new_context(base_url=live_server.url, locale="nl-NL")
    desk.set_default_timeout(15000)
    page = desk.new_page()
    log_in(page, live_cast.adviser)
    page.goto("/trajecten/intake/")
    row = page.get_by_role("row").filter(has_text="Noor el Amrani")
    row.wait_for()
    assert "aanmelding via de website" in row.inner_text()
    assert "Postcode 3511 AB" in row.inner_text()
    desk.close()
