"""Deadline and review reminders: due rows, each sent exactly once, also when run concurrently."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.roles import Role
from plans import reminders, services
from plans.models import PlanReminder, PlanStatus, ReminderKind
from plans.tasks import send_reminders
from tests.factories import UserFactory
from tests.plans.helpers import make_plan, make_version


@pytest.fixture(autouse=True)
def one_kind_at_a_time(settings):
    """Each test here is about the reminders of one plan; the weekly digest and the reminders
    to regions that have not started are tested in test_plan_cycle.py."""
    settings.FNV = {**settings.FNV, "PLANS_DIGEST_WEEKDAY": None, "PLANS_START_BY": (12, 31)}


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _run(now):
    reminders.reminders_create_due(now=now)
    return reminders.reminders_send_due(now=now)


def test_it_reminds_the_regional_officials_before_the_deadline_once(cast):
    deadline = dt.date(2026, 12, 15)
    make_plan(cast.region, deadline=deadline)
    assert _run(_at(deadline - dt.timedelta(days=20))) == 0
    assert mail.outbox == []
    assert _run(_at(deadline - dt.timedelta(days=14))) == 1
    assert [m.to for m in mail.outbox] == [[cast.regional_official.email]]
    assert "Herinnering: regioplan 2027 van Midden-Utrecht" in mail.outbox[0].subject
    # Running again the same day, or the day after, sends nothing new.
    assert _run(_at(deadline - dt.timedelta(days=14), 18)) == 0
    assert _run(_at(deadline - dt.timedelta(days=13))) == 0
    assert len(mail.outbox) == 1
    assert _run(_at(deadline - dt.timedelta(days=3))) == 1
    assert _run(_at(deadline - dt.timedelta(days=2))) == 0
    assert len(mail.outbox) == 2
    assert set(PlanReminder.objects.values_list("key", flat=True)) == {"d-14", "d-3"}
    assert not PlanReminder.objects.filter(sent_at__isnull=True).exists()


def test_a_submitted_plan_gets_no_deadline_reminder(cast):
    deadline = dt.date(2026, 12, 15)
    make_plan(cast.region, deadline=deadline, status=PlanStatus.SUBMITTED)
    assert _run(_at(deadline - dt.timedelta(days=3))) == 0
    assert mail.outbox == []


def test_a_reminder_that_is_no_longer_relevant_is_marked_but_not_sent(cast):
    deadline = dt.date(2026, 12, 15)
    plan = make_plan(cast.region, deadline=deadline)
    reminders.reminders_create_due(now=_at(deadline - dt.timedelta(days=3)))
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    assert reminders.reminders_send_due(now=_at(deadline - dt.timedelta(days=3))) == 0
    assert mail.outbox == []
    assert PlanReminder.objects.get(key="d-3").recipient_count == 0


def test_a_new_deadline_gets_its_own_reminders(cast):
    plan = make_plan(cast.region, deadline=dt.date(2026, 12, 15))
    _run(_at(dt.date(2026, 12, 1)))
    assert len(mail.outbox) == 1  # 14 days before
    services.plan_set_deadline(
        user=cast.coordinator, region=cast.region, year=plan.year, deadline=dt.date(2027, 1, 31)
    )
    assert _run(_at(dt.date(2027, 1, 17))) == 1
    assert _run(_at(dt.date(2027, 1, 28))) == 1
    assert len(mail.outbox) == 3
    assert PlanReminder.objects.filter(plan=plan).count() == 3


def test_it_reminds_the_coordinators_when_a_review_waits_too_long(cast, settings):
    settings.FNV = {**settings.FNV, "PLANS_REVIEW_WAITING_DAYS": 7}
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    submitted = _at(dt.date(2026, 11, 1))
    make_version(plan, submitted_by=cast.regional_official, submitted_at=submitted)
    plan.authors.add(cast.regional_official)
    author_coordinator = UserFactory(role=Role.COORDINATOR)
    author_coordinator.regions.add(cast.region)
    plan.authors.add(author_coordinator)
    assert _run(submitted + dt.timedelta(days=6)) == 0
    assert _run(submitted + dt.timedelta(days=7, hours=1)) == 1
    # The coordinator who wrote part of the plan is not asked to review it.
    assert [m.to for m in mail.outbox] == [[cast.coordinator.email]]
    assert "wacht op je beoordeling" in mail.outbox[0].subject
    assert _run(submitted + dt.timedelta(days=30)) == 0
    # A new version that waits gets its own reminder.
    make_version(plan, number=2, submitted_at=submitted + dt.timedelta(days=40))
    assert _run(submitted + dt.timedelta(days=48)) == 1
    assert list(
        PlanReminder.objects.filter(kind=ReminderKind.REVIEW_WAITING).values_list("key", flat=True)
    ) == ["v1", "v2"]


def test_the_beat_task_runs_the_reminders(cast):
    make_plan(cast.region, deadline=timezone.localdate() + dt.timedelta(days=2))
    send_reminders.delay()
    send_reminders.delay()
    # Both the 14- and the 3-day reminder are due: only the later one goes out, once.
    assert len(mail.outbox) == 1
    assert PlanReminder.objects.filter(sent_at__isnull=False).count() == 2
    assert PlanReminder.objects.get(key="d-14").recipient_count == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_exactly_once():
    from tests.conftest import Cast, ensure_reference_data

    ensure_reference_data()
    cast = Cast()
    deadline = dt.date(2026, 12, 15)
    plans = [make_plan(cast.region, deadline=deadline, year=2027 + i) for i in range(5)]
    now = _at(deadline - dt.timedelta(days=14))
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def run():
        try:
            barrier.wait()
            _run(now)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Five plans, one reminder each (14 days before), one recipient each.
    assert len(mail.outbox) == 5
    per_plan = Counter(m.subject.split(" van ")[0] for m in mail.outbox)
    assert sorted(per_plan.values()) == [1] * 5
    assert PlanReminder.objects.filter(plan__in=plans, sent_at__isnull=False).count() == 5
