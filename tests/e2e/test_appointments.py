"""Loopbaan FNV in the browser: a member books in three clicks from the home page, the mails
with their calendar files are in the outbox, both consultants see the appointment in their
agenda, the member moves it and then cancels it, and the consultants receive the cancellation.

The live server runs in this process, so it shares the locmem outbox and the eager Celery
tasks (enqueued on commit) with the test.
"""

from __future__ import annotations

from datetime import time

import pytest
from django.core import mail

from loopbaan.models import Appointment, AppointmentStatus
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.loopbaan.helpers import consultant_at

pytestmark = pytest.mark.e2e


def ics(message) -> str:
    return next(a.content for a in message.attachments if a.filename.endswith(".ics"))


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_member_books_moves_and_cancels_and_the_consultants_follow(
    page, browser, live_server, live_cast
):
    house = live_cast.union_house
    pool = [consultant_at(house, weekday=2, start=time(9), end=time(13)) for _ in range(2)]
    member = live_cast.member

    # Three clicks from the home page: place, time, confirm.
    log_in(page, live_cast.member_user)
    page.get_by_role("link", name="Loopbaanafspraak in Vakbondshuis Utrecht").click()  # 1
    page.wait_for_url("**/afspraken/maken/**")
    assert serious_accessibility_violations(page) == []
    page.locator(".slot-list a").first.click()  # 2
    page.wait_for_url("**/afspraken/maken/*/*/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Je vraag in het kort (niet verplicht)").fill("Ik wil iets anders gaan doen")
    page.get_by_role("button", name="Afspraak bevestigen").click()  # 3
    page.wait_for_url("**/afspraken/afspraak/**")
    assert "Je afspraak is geboekt" in page.content()
    assert page.get_by_role("link", name="Zet in mijn agenda").count() == 1
    assert serious_accessibility_violations(page) == []

    appointment = Appointment.objects.get(member=member)
    assert set(appointment.active_consultants()) == set(pool)
    for address in [member.email, *(c.email for c in pool)]:
        [booked] = [m for m in mail.outbox if m.to == [address]]
        assert "METHOD:REQUEST" in ics(booked)
        assert f"UID:{appointment.public_token}@fnv-regio" in ics(booked)
    manage_url = page.url

    # Both consultants see it in their agenda.
    day = appointment.starts_at.date().isoformat()
    for consultant in pool:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        consultant_page = context.new_page()
        log_in(consultant_page, consultant)
        consultant_page.goto(f"/afspraken/agenda/?dag={day}")
        assert consultant_page.get_by_role("cell", name=member.display_name).count() == 1
        assert serious_accessibility_violations(consultant_page) == []
        context.close()

    # The member moves it (the manage link stays the same) ...
    page.get_by_role("link", name="Afspraak verzetten").click()
    page.wait_for_url("**/verzetten/**")
    page.locator(".slot-list a").nth(1).click()
    page.get_by_role("button", name="Verzetten bevestigen").click()
    page.wait_for_url(manage_url)
    assert "Je afspraak is verzet" in page.content()
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.starts_at != appointment.starts_at and moved.sequence == 1
    for consultant in pool:
        assert any(
            "SEQUENCE:1" in ics(m) and "METHOD:REQUEST" in ics(m) for m in mails_to(consultant)
        )

    # ... and then cancels it, after a question on a page of its own ("Nee, terug" goes back):
    # everyone gets METHOD:CANCEL with the same UID.
    page.get_by_role("link", name="Afspraak annuleren").click()
    page.wait_for_url("**/annuleren/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Nee, terug").click()
    page.wait_for_url(manage_url)
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.BOOKED
    page.get_by_role("link", name="Afspraak annuleren").click()
    page.get_by_role("button", name="Ja, annuleer de afspraak").click()
    page.wait_for_url(manage_url)
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CANCELLED
    for consultant in pool:
        cancel = [m for m in mails_to(consultant) if "METHOD:CANCEL" in ics(m)]
        assert len(cancel) == 1
        assert f"UID:{appointment.public_token}@fnv-regio" in ics(cancel[0])
        assert "SEQUENCE:2" in ics(cancel[0])
