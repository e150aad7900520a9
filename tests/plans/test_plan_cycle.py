"""The plan cycle chases what is late (#14 item 5): weekly reminders after a missed deadline
and while requested changes wait, reminders to regions that never started, the coordinator's
weekly overview, the "te laat" mark and filter, and next year's plan only from an approved one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plans import reminders, services
from plans.models import (
    CoordinatorDigest,
    NotStartedReminder,
    PlanReminder,
    PlanStatus,
    RegionPlan,
    ReminderKind,
)
from tests.conftest import login
from tests.plans.helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet_cycle(settings):
    """By default no digest and a start date late in the year; each test turns on its part."""
    settings.FNV = {**settings.FNV, "PLANS_DIGEST_WEEKDAY": None, "PLANS_START_BY": (12, 31)}


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _run(now) -> int:
    reminders.reminders_create_due(now=now)
    return reminders.reminders_send_due(now=now)


def _subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_a_draft_past_its_deadline_is_chased_weekly_until_it_is_submitted(cast):
    deadline = dt.date(2026, 12, 15)
    plan = make_plan(cast.region, deadline=deadline)
    assert _run(_at(deadline - dt.timedelta(days=3))) == 1  # the last one before the deadline
    assert _run(_at(deadline)) == 0  # the deadline day itself: nothing more
    mail.outbox.clear()
    assert _run(_at(deadline + dt.timedelta(days=1))) == 1
    assert [m.to for m in mail.outbox] == [[cast.regional_official.email]]
    assert "Deadline verstreken" in mail.outbox[0].subject
    assert "elke week" in mail.outbox[0].body
    # The same week again: nothing; a week later: the next one.
    assert _run(_at(deadline + dt.timedelta(days=5))) == 0
    assert _run(_at(deadline + dt.timedelta(days=8))) == 1
    assert len(mail.outbox) == 2
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    assert _run(_at(deadline + dt.timedelta(days=15))) == 0
    assert len(mail.outbox) == 2
    keys = set(PlanReminder.objects.filter(kind=ReminderKind.OVERDUE).values_list("key", flat=True))
    assert keys == {"o20261215-1", "o20261215-2"}


def test_after_a_long_outage_only_the_latest_overdue_reminder_is_made(cast):
    deadline = dt.date(2026, 10, 1)
    make_plan(cast.region, deadline=deadline)
    assert _run(_at(deadline + dt.timedelta(days=50))) == 1
    assert list(
        PlanReminder.objects.filter(kind=ReminderKind.OVERDUE).values_list("key", flat=True)
    ) == ["o20261001-8"]


def test_a_new_deadline_stops_the_old_overdue_series(cast):
    deadline = dt.date(2026, 11, 1)
    plan = make_plan(cast.region, deadline=deadline)
    reminders.reminders_create_due(now=_at(dt.date(2026, 11, 20)))
    services.plan_set_deadline(
        user=cast.coordinator, region=cast.region, year=plan.year, deadline=dt.date(2027, 2, 1)
    )
    # The unsent overdue reminder of the old deadline is no longer relevant.
    assert reminders.reminders_send_due(now=_at(dt.date(2026, 11, 20))) == 0
    assert not [s for s in _subjects() if "Deadline verstreken" in s]


def test_requested_changes_that_wait_are_chased_weekly(cast, settings):
    plan = make_plan(cast.region, status=PlanStatus.CHANGES_REQUESTED)
    changed = _at(dt.date(2026, 11, 2))
    RegionPlan.objects.filter(pk=plan.pk).update(status_changed_at=changed)
    assert _run(changed + dt.timedelta(days=6)) == 0
    assert _run(changed + dt.timedelta(days=7, hours=1)) == 1
    assert "wijzigingen gevraagd" in mail.outbox[0].subject
    assert mail.outbox[0].to == [cast.regional_official.email]
    assert _run(changed + dt.timedelta(days=10)) == 0
    assert _run(changed + dt.timedelta(days=14, hours=1)) == 1
    # Resubmitted: the chasing stops.
    RegionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.RESUBMITTED)
    assert _run(changed + dt.timedelta(days=21, hours=1)) == 0
    assert len(mail.outbox) == 2


def test_regions_that_never_started_are_reminded_weekly(cast, settings):
    settings.FNV = {**settings.FNV, "PLANS_START_BY": (10, 1)}
    make_plan(cast.region, year=2027)  # Midden-Utrecht has started
    before = _at(dt.date(2026, 9, 30))
    assert _run(before) == 0
    assert not NotStartedReminder.objects.exists()
    after = _at(dt.date(2026, 10, 1), 10)
    _run(after)
    reminded = set(NotStartedReminder.objects.values_list("region__code", flat=True))
    assert "AM13" not in reminded
    assert len(reminded) == 34
    # Only AM18 has anyone to tell (its coordinator, as it has no regional official).
    assert [m.to for m in mail.outbox] == [[cast.other_coordinator.email]]
    assert "nog niet begonnen" in mail.outbox[0].subject
    assert _run(after + dt.timedelta(days=3)) == 0
    assert len(mail.outbox) == 1
    # AM18 starts before the next week's reminder: it gets no more.
    make_plan(cast.other_region, year=2027)
    _run(after + dt.timedelta(days=7))
    assert len(mail.outbox) == 1
    assert NotStartedReminder.objects.filter(region=cast.other_region, key="w2").count() == 0


def test_the_coordinator_gets_one_digest_a_week_of_what_awaits_them(cast, settings):
    settings.FNV = {**settings.FNV, "PLANS_DIGEST_WEEKDAY": 0, "PLANS_START_BY": (10, 1)}
    waiting = make_plan(cast.region, year=2027, status=PlanStatus.SUBMITTED)
    late = make_plan(cast.region, year=2026, deadline=dt.date(2026, 11, 1))
    monday = dt.date(2026, 11, 30)
    assert monday.weekday() == 0
    _run(_at(monday, 8))  # before the reminder hour: nothing yet
    assert not CoordinatorDigest.objects.exists()
    _run(_at(monday, 10))
    digests = [
        m
        for m in mail.outbox
        if "wat deze week op je wacht" in m.subject and m.to == [cast.coordinator.email]
    ]
    assert len(digests) == 1
    body = digests[0].body
    assert f"{waiting.region.name} 2027" in body  # to review
    assert f"{late.region.name} 2026" in body and "deadline 1 november 2026" in body
    # The other coordinator's region AM18 has not started 2027: in their digest, not in this one.
    other = [m for m in mail.outbox if m.to == [cast.other_coordinator.email]]
    assert any("wat deze week op je wacht" in m.subject for m in other)
    assert "AM18" not in body
    before = len(mail.outbox)
    _run(_at(monday + dt.timedelta(days=2)))
    assert len([m for m in mail.outbox[before:] if "wat deze week" in m.subject]) == 0
    _run(_at(monday + dt.timedelta(days=7), 10))
    assert len([m for m in mail.outbox if m.to == [cast.coordinator.email]]) == 2


def test_a_coordinator_with_nothing_waiting_gets_no_digest(cast, settings):
    settings.FNV = {**settings.FNV, "PLANS_DIGEST_WEEKDAY": 0}
    make_plan(cast.region, year=2027, status=PlanStatus.APPROVED)
    _run(_at(dt.date(2026, 11, 30), 10))
    assert not [m for m in mail.outbox if m.to == [cast.coordinator.email]]
    assert CoordinatorDigest.objects.get(user=cast.coordinator).item_count == 0


def test_the_overview_marks_and_filters_late_regions(cast, client, settings):
    settings.FNV = {**settings.FNV, "PLANS_START_BY": (1, 1)}
    today = timezone.localdate()
    year = today.year + 1
    make_plan(cast.region, year=year, deadline=today - dt.timedelta(days=1))
    make_plan(cast.other_region, year=year, status=PlanStatus.SUBMITTED)
    login(client, cast.coordinator)
    page = client.get(reverse("plans:overview"), {"jaar": year}).content.decode()
    assert "Te laat" in page and "te laat</span>" in page
    late_page = client.get(reverse("plans:overview"), {"jaar": year, "achter": "1"})
    rows = late_page.context["rows"]
    codes = {row["region"].code for row in rows}
    assert "AM13" in codes  # past its deadline
    assert "AM18" not in codes  # submitted
    assert len(codes) == 34  # and the 33 regions that never started
    assert late_page.context["late_count"] == 34


def test_next_years_plan_starts_only_from_an_approved_plan(cast, client):
    draft = make_plan(cast.region, year=2027)
    draft.authors.add(cast.regional_official)
    with pytest.raises(ValidationError):
        services.plan_start_next_year(user=cast.regional_official, plan=draft)
    login(client, cast.regional_official)
    page = client.get(reverse("plans:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "Plan 2028 beginnen" not in page
    response = client.post(reverse("plans:next_year", kwargs={"pk": draft.pk}), follow=True)
    assert not RegionPlan.objects.filter(region=cast.region, year=2028).exists()
    assert "pas vanuit dit plan beginnen als dit plan is goedgekeurd" in response.content.decode()
    RegionPlan.objects.filter(pk=draft.pk).update(status=PlanStatus.APPROVED)
    page = client.get(reverse("plans:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "Plan 2028 beginnen" in page
    services.plan_start_next_year(
        user=cast.regional_official, plan=RegionPlan.objects.get(pk=draft.pk)
    )
    assert RegionPlan.objects.filter(region=cast.region, year=2028).exists()
