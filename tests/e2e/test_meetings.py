"""Information meetings in the browser: a visitor opens /bijeenkomsten/, registers as a
non-member with name, e-mail and consent, finds the confirmation (with its calendar file) in
the outbox, and cancels through the link in it.

The live server runs in this process, so it shares the locmem outbox and the eager Celery
tasks (enqueued on commit) with the test.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from meetings.models import Registration, RegistrationStatus
from tests.e2e.conftest import serious_accessibility_violations
from tests.meetings.helpers import make_meeting

pytestmark = pytest.mark.e2e


def test_a_visitor_registers_without_an_account_and_cancels_by_the_link(page, live_cast):
    meeting = make_meeting(live_cast, title="Ontslag? Wat nu?", capacity=20)

    page.goto("/bijeenkomsten/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Ontslag? Wat nu?").click()
    page.wait_for_url(f"**/bijeenkomsten/{meeting.pk}/")
    assert serious_accessibility_violations(page) == []

    # Without consent nothing happens, and the page says what to do.
    page.get_by_role("textbox", name="Naam").fill("Ilse van Dam")
    page.get_by_role("textbox", name="E-mailadres").fill("ilse@example.org")
    page.get_by_role("button", name="Aanmelden").click()
    assert "Zet een vinkje om toestemming te geven" in page.content()
    assert not Registration.objects.exists()

    page.get_by_label(re.compile("Ik geef FNV toestemming")).check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"**/bijeenkomsten/{meeting.pk}/aangemeld/")
    assert "Kijk in je mail" in page.content()
    assert serious_accessibility_violations(page) == []

    registration = Registration.objects.get(meeting=meeting)
    assert registration.status == RegistrationStatus.REGISTERED
    [confirmation] = [m for m in mail.outbox if m.to == ["ilse@example.org"]]
    assert any(a.filename == "bijeenkomst.ics" for a in confirmation.attachments)
    link = re.search(r"https?://\S+/bijeenkomsten/afmelden/\S+/", confirmation.body).group(0)
    path = "/" + link.split("/", 3)[3]

    page.goto(path)
    assert serious_accessibility_violations(page) == []
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED  # opening the link changes nothing
    page.get_by_role("button", name="Ja, meld mij af").click()
    assert "Je bent afgemeld" in page.content()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED

    # The link used twice says so.
    page.goto(path)
    assert "al afgemeld" in page.content()
