"""Routing: sector officials, coordinators, and the admins when nobody is responsible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from signals.detection import run_detection
from signals.models import (
    DetectionRule,
    NotificationKind,
    NotificationPreference,
    RuleKind,
    Signal,
    SignalNotification,
)
from signals.notifications import send_reminders
from signals.services import signal_acknowledge
from signals.tasks import send_daily_digest, send_signal_emails
from tests.factories import EmployerFactory, SectorFactory
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_signal_per_employer(db):
    DetectionRule.objects.filter(kind=RuleKind.EMPLOYER_CLUSTER).update(per_theme=False)


def _employer_signal(cast, sector):
    employer = EmployerFactory(sector=sector)
    for _ in range(3):
        log_session(cast, employer=employer, themes=[theme("Ontslag")])
    # Emails are sent on commit: run the callbacks inside the test's transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_detection(full=True)
    return Signal.objects.get(key=f"employer:{employer.pk}")


def test_an_employer_signal_goes_to_the_sector_officials_of_the_employers_sector(cast):
    mail.outbox.clear()
    signal = _employer_signal(cast, cast.sector)
    recipients = set(
        SignalNotification.objects.filter(signal=signal).values_list("recipient", flat=True)
    )
    assert recipients == {cast.sector_official.pk}
    sent_to = [m.to for m in mail.outbox if signal.employer.name in m.subject]
    assert sent_to == [[cast.sector_official.email]]
    assert "Vertrouwelijke" not in mail.outbox[0].body


def test_a_regional_rise_goes_to_the_coordinators_of_that_region(cast):
    for _ in range(5):
        log_session(cast, themes=[theme("Faillissement")])
    run_detection(full=True)
    signal = Signal.objects.get(rule__kind=RuleKind.THEME_RISE, region=cast.region)
    recipients = set(
        SignalNotification.objects.filter(signal=signal).values_list("recipient", flat=True)
    )
    assert recipients == {cast.coordinator.pk}


def test_a_signal_with_nobody_to_route_to_goes_to_the_admins(cast):
    lonely = SectorFactory(name="Havens")
    signal = _employer_signal(cast, lonely)
    notes = SignalNotification.objects.filter(signal=signal)
    assert set(notes.values_list("recipient", flat=True)) == {cast.admin.pk}
    assert all(n.is_fallback for n in notes)


def test_an_employer_without_sector_still_reaches_someone(cast):
    signal = _employer_signal(cast, None)
    assert SignalNotification.objects.filter(signal=signal, recipient=cast.admin).exists()


def test_each_notification_is_emailed_exactly_once(cast):
    mail.outbox.clear()
    _employer_signal(cast, cast.sector)
    count = len(mail.outbox)
    assert count >= 1
    send_signal_emails()
    send_signal_emails()
    assert len(mail.outbox) == count
    assert not SignalNotification.objects.filter(emailed_at__isnull=True).exists()


def test_digest_users_get_one_daily_email_instead(cast):
    NotificationPreference.objects.create(user=cast.sector_official, daily_digest=True)
    mail.outbox.clear()
    _employer_signal(cast, cast.sector)
    assert not [m for m in mail.outbox if cast.sector_official.email in m.to]
    assert send_daily_digest() == 1
    assert send_daily_digest() == 0
    digests = [m for m in mail.outbox if cast.sector_official.email in m.to]
    assert len(digests) == 1
    assert "Signalen van vandaag" in digests[0].subject


def test_an_unacknowledged_signal_gets_one_reminder_after_five_days(cast):
    signal = _employer_signal(cast, cast.sector)
    later = timezone.now() + dt.timedelta(days=4, hours=23)
    assert send_reminders(now=later) == 0
    later = timezone.now() + dt.timedelta(days=5, minutes=1)
    assert send_reminders(now=later) == 1
    assert send_reminders(now=later) == 0
    reminders = SignalNotification.objects.filter(signal=signal, kind=NotificationKind.REMINDER)
    assert list(reminders.values_list("recipient", flat=True)) == [cast.sector_official.pk]


def test_an_acknowledged_signal_gets_no_reminder(cast):
    signal = _employer_signal(cast, cast.sector)
    signal_acknowledge(signal=signal, by=cast.sector_official)
    assert send_reminders(now=timezone.now() + dt.timedelta(days=30)) == 0


def test_opening_a_signal_writes_nothing_but_marking_it_read_does(cast, login_as):
    """No writes on GET: the notification stays unread until the official marks it read."""
    from django.urls import reverse

    from signals.models import SignalNotification
    from tests.signals.test_consent_recipients import _signal

    signal = _signal(kind="employer_cluster", key="employer:y", sector=cast.sector)
    SignalNotification.objects.create(signal=signal, recipient=cast.sector_official, kind="new")
    client = login_as(cast.sector_official)
    page = client.get(reverse("signals:signal", args=[signal.pk])).content.decode()
    assert "1 ongelezen melding" in page
    assert SignalNotification.objects.get().read_at is None
    response = client.post(reverse("signals:signal_read", args=[signal.pk]))
    assert response.status_code == 302
    assert SignalNotification.objects.get().read_at is not None
    other = login_as(cast.other_sector_official)
    foreign = _signal(kind="employer_cluster", key="employer:z", sector=cast.sector)
    assert other.post(reverse("signals:signal_read", args=[foreign.pk])).status_code == 404


def test_many_routes_are_found_with_three_queries_and_only_active_responsible_people(
    cast, django_assert_max_num_queries
):
    """A first detection run opens signals in every sector and region at once: routing them
    all takes at most three queries, and keeps the rules of routing one signal: the active
    sector officials of the sector (not a coordinator or an inactive official linked to it),
    the active coordinators of the region, and the active admins when nobody is responsible."""
    from core.roles import Role
    from signals.notifications import routes_for
    from tests.factories import UserFactory, region

    busy, lonely = SectorFactory(name="Zorg"), SectorFactory(name="Havens")
    first = UserFactory(role=Role.SECTOR_OFFICIAL, totp=False)
    second = UserFactory(role=Role.SECTOR_OFFICIAL, totp=False)
    gone = UserFactory(role=Role.SECTOR_OFFICIAL, is_active=False, totp=False)
    wrong_role = UserFactory(role=Role.COORDINATOR, totp=False)
    for user in (first, second, gone, wrong_role):
        user.sectors.add(busy)
    north, south = region("AM01"), region("AM02")
    coordinator = UserFactory(role=Role.COORDINATOR, totp=False)
    coordinator.regions.add(north)
    UserFactory(role=Role.COORDINATOR, is_active=False, totp=False).regions.add(south)
    UserFactory(role=Role.ADMIN, is_active=False, totp=False)
    wanted = [(busy.pk, None), (busy.pk, north.pk), (lonely.pk, None), (None, north.pk),
              (None, south.pk), (None, None)]  # fmt: skip
    with django_assert_max_num_queries(3):
        routes = routes_for(wanted + wanted)
    admins = ([cast.admin.pk], True)
    assert routes == {
        (busy.pk, None): (sorted([first.pk, second.pk]), False),
        (busy.pk, north.pk): (sorted([first.pk, second.pk]), False),  # a sector goes first
        (lonely.pk, None): admins,
        (None, north.pk): ([coordinator.pk], False),
        (None, south.pk): admins,
        (None, None): admins,
    }
    with django_assert_max_num_queries(0):
        assert routes_for([]) == {}
