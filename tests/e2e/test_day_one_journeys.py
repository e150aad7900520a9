"""Issue #13's "done when" journeys that cross the features: a visitor goes from the front
door to a meeting and registers within three clicks, and is forgotten after the meeting; the
coordinator sees the registration while it matters and no name afterwards.

Every click that loads a page is counted; typing and ticking the consent box are not.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from fnvregio.tasks import apply_retention
from meetings.models import Meeting, Registration, RegistrationStatus
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.meetings.helpers import make_meeting

pytestmark = pytest.mark.e2e


def test_a_visitor_registers_for_a_meeting_from_the_front_door_and_is_later_forgotten(
    page, browser, live_server, live_cast
):
    meeting = make_meeting(live_cast, title="Wat te doen bij ontslag", capacity=20, days=3)
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        with page.expect_navigation():
            locator.click()
        clicks += 1

    page.goto("/")
    click(page.get_by_role("link", name="Wat te doen bij ontslag").first)
    page.get_by_role("textbox", name="Naam").fill("Ilse van Dam")
    page.get_by_role("textbox", name="E-mailadres").fill("ilse.vandam@example.org")
    page.get_by_label(re.compile("Ik geef FNV toestemming")).check()
    click(page.get_by_role("button", name="Aanmelden"))
    page.wait_for_url(f"**/bijeenkomsten/{meeting.pk}/aangemeld/")
    assert clicks <= 3, f"{clicks} clicks from the front door to a registration"
    assert serious_accessibility_violations(page) == []
    registration = Registration.objects.get(meeting=meeting)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.name == "Ilse van Dam" and registration.member_id is None

    # The coordinator sees who comes while it matters ...
    coordinator = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    log_in(coordinator, live_cast.coordinator)
    coordinator.goto(f"/bijeenkomsten/planning/{meeting.pk}/")
    assert "Ilse van Dam" in coordinator.content()

    # ... and after the meeting and the retention period the nightly task forgets the guest.
    over = timezone.now() - timedelta(days=30)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=over - timedelta(hours=2), ends_at=over)
    report = apply_retention.apply().get()
    assert report["meeting_guests_forgotten"] == 1
    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("", "")
    assert registration.forgotten_at is not None
    coordinator.goto(f"/bijeenkomsten/planning/{meeting.pk}/")
    page_text = coordinator.content()
    assert "Ilse van Dam" not in page_text and "ilse.vandam@example.org" not in page_text
