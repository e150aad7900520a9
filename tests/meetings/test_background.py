"""The reminder goes once; guests are forgotten after the meeting; a member's erasure removes
their registrations; the figures, the public agenda, the house facts and the demo data."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core import mail
from django.utils import timezone

from core import registry
from meetings import figures
from meetings.models import Meeting, Registration, RegistrationStatus
from meetings.tasks import send_reminders
from regions.models import UnionHouse
from tests.meetings.helpers import foreign_meeting, guest, make_meeting, move_to_past

pytestmark = pytest.mark.django_db


def test_the_reminder_goes_once_even_when_the_task_runs_twice(cast):
    tomorrow = make_meeting(cast, days=0.5)
    later = make_meeting(cast, days=5)
    reminded = guest(tomorrow)
    guest(tomorrow, email="wacht@example.org", status=RegistrationStatus.WAITING)
    guest(tomorrow, email="weg@example.org", status=RegistrationStatus.CANCELLED)
    guest(later, email="later@example.org")
    assert send_reminders() == 1
    assert send_reminders() == 0
    [message] = mail.outbox
    assert message.to == [reminded.email]
    assert "Morgen" in message.subject
    reminded.refresh_from_db()
    assert reminded.reminder_sent_at is not None


def test_a_cancelled_meeting_sends_no_reminder(cast):
    meeting = make_meeting(cast, days=0.5)
    guest(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())
    send_reminders()
    assert not mail.outbox


def test_retention_forgets_guests_after_the_meeting_and_keeps_the_counts(cast, settings):
    settings.FNV = {**settings.FNV, "MEETINGS_GUEST_DAYS": 7}
    long_ago = move_to_past(make_meeting(cast), days=8)
    recent = move_to_past(make_meeting(cast), days=2)
    upcoming = make_meeting(cast)
    old_guest = guest(long_ago, attended=True)
    recent_guest = guest(recent)
    future_guest = guest(upcoming)
    withdrew = guest(upcoming, email="trok.terug@example.org", status=RegistrationStatus.CANCELLED)
    member_registration = Registration.objects.create(
        meeting=long_ago, member=cast.member, status=RegistrationStatus.REGISTERED
    )
    report = registry.apply_retention(now=timezone.now(), days=settings.FNV_RETENTION_DAYS)
    assert report["meeting_guests_forgotten"] == 2
    old_guest.refresh_from_db()
    assert (old_guest.name, old_guest.email, old_guest.attended) == ("", "", True)
    assert old_guest.forgotten_at is not None
    withdrew.refresh_from_db()
    assert withdrew.email == ""
    for kept in (recent_guest, future_guest):
        kept.refresh_from_db()
        assert kept.email and kept.name
    member_registration.refresh_from_db()
    assert member_registration.member == cast.member
    # a second run finds nothing left to do
    again = registry.apply_retention(now=timezone.now(), days=settings.FNV_RETENTION_DAYS)
    assert again["meeting_guests_forgotten"] == 0
    assert Registration.objects.filter(meeting=long_ago).count() == 2


def test_erasing_a_member_removes_their_registrations(cast):
    meeting = make_meeting(cast)
    Registration.objects.create(
        meeting=meeting, member=cast.member, status=RegistrationStatus.REGISTERED
    )
    other = Registration.objects.create(
        meeting=meeting, member=cast.other_member, status=RegistrationStatus.REGISTERED
    )
    report = registry.erase_member(member=cast.member)
    assert report["meeting_registrations_deleted"] == 1
    assert list(Registration.objects.all()) == [other]


def _held_with(cast, people: int, came: int, **extra):
    meeting = move_to_past(make_meeting(cast, capacity=50, **extra), days=3)
    for number in range(people):
        guest(meeting, email=f"p{meeting.pk}-{number}@example.org", attended=number < came)
    return meeting


def test_the_region_panel_counts_held_meetings_and_protects_small_numbers(cast, settings):
    settings.FNV = {**settings.FNV, "MIN_GROUP_SIZE": 3}
    _held_with(cast, 10, 7)
    _held_with(cast, 1, 1, theme="loopbaancheck")
    cancelled = _held_with(cast, 4, 0)
    Meeting.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    make_meeting(cast)  # upcoming: not held
    today = timezone.localdate()
    panel = registry.region_panel(
        cast.region, since=today - dt.timedelta(days=30), until=today + dt.timedelta(days=1)
    )["meetings"]
    values = {str(label): value for label, value in panel["figures"]}
    assert values["Bijeenkomsten gehouden"] == 2
    assert values["Aanmeldingen"] == 11
    assert values["waarvan aanwezig"] == 8
    # one registration for the career check: hidden, and its complement with it
    assert values["Aanmeldingen: Loopbaancheck"] == "afgeschermd"
    assert values["Aanmeldingen: Wat te doen bij ontslag"] == "afgeschermd"


def test_monthly_gives_meetings_registrations_and_attendance_per_month(cast):
    _held_with(cast, 4, 3)
    foreign = move_to_past(foreign_meeting(cast), days=3)
    guest(foreign)
    this_month = timezone.localdate().replace(day=1)
    first = (this_month - dt.timedelta(days=40)).replace(day=1)
    rows = figures.monthly([cast.region.pk], first, 3)
    assert [row["month"] for row in rows][0] == first and len(rows) == 3
    held_month = timezone.localtime(timezone.now() - dt.timedelta(days=3)).date().replace(day=1)
    by_month = {row["month"]: row for row in rows}
    assert by_month[held_month] == {
        "month": held_month,
        "meetings": 1,
        "registrations": 4,
        "attended": 3,
    }
    everywhere = {row["month"]: row for row in figures.monthly(None, first, 3)}
    assert everywhere[held_month]["meetings"] == 2


def test_the_public_agenda_and_the_house_facts_name_the_next_meeting(cast):
    sooner = make_meeting(cast, days=2, title="Ontslag? Wat nu?")
    make_meeting(cast, days=9, title="Loopbaancheck")
    make_meeting(cast, days=1, title="Concept", is_published=False)
    online = make_meeting(cast, days=3, online=True, title="Online")
    foreign_meeting(cast, days=1, title="Amsterdam")
    now = timezone.now()
    items = registry.public_agenda(region=cast.region, now=now, limit=5)
    assert [item.title for item in items] == ["Ontslag? Wat nu?", "Online", "Loopbaancheck"]
    assert items[1].place == "Online" and "geheim" not in items[1].url
    assert items[0].url == f"/bijeenkomsten/{sooner.pk}/"
    at_house = registry.public_agenda(house=cast.union_house, now=now, limit=5)
    assert online.title not in [item.title for item in at_house]
    [fact] = [
        f for f in registry.house_facts(cast.union_house, now=now) if "bijeenkomst" in f.label
    ]
    assert fact.label == "Volgende bijeenkomst hier"
    assert fact.value.startswith("Ontslag? Wat nu?")


def test_the_coordinator_gets_a_home_tile(cast):
    make_meeting(cast)
    titles = {tile.title: tile for tile in registry.home_tiles(cast.coordinator)}
    assert titles["Informatiebijeenkomsten"].url == "/bijeenkomsten/planning/"
    assert titles["Informatiebijeenkomsten"].badge == "1"
    assert "Informatiebijeenkomsten" not in {t.title for t in registry.home_tiles(cast.consultant)}


def test_the_demo_seed_makes_meetings_in_utrecht_and_amsterdam_once(cast):
    from faker import Faker

    from meetings.demo import seed
    from tests.factories import EmployerFactory

    EmployerFactory(name="Zorggroep Noord B.V.", is_demo=True)
    seed(rng=random.Random(1), fake=Faker("nl_NL"))
    seed(rng=random.Random(1), fake=Faker("nl_NL"))
    meetings = Meeting.objects.filter(is_demo=True)
    assert meetings.count() >= 4
    amsterdam = meetings.filter(union_house__city="Amsterdam")
    assert {m.region.code for m in meetings.exclude(pk__in=amsterdam)} == {"AM13"}
    # The second demo region has a meeting at its union house, when the house exists.
    if UnionHouse.objects.active().filter(city="Amsterdam").exists():
        assert amsterdam.count() == 1 and amsterdam.get().region.code != "AM13"
    assert meetings.filter(union_house__isnull=True).count() == 1
    assert meetings.filter(theme="reorganisatie", employer__isnull=False).count() == 1
    assert meetings.filter(starts_at__lt=timezone.now()).exists()
    assert not mail.outbox
