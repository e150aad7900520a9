"""Reminders of the regioplannen: rows made when due and each sent exactly once. Run by the beat
task `plans.tasks.send_reminders`.

The cycle is chased until it is done:
- before a deadline (PLANS_DEADLINE_REMINDER_DAYS), to the regional officials;
- after a missed deadline, every PLANS_OVERDUE_REMINDER_DAYS days until the plan is submitted;
- while requested changes wait for the authors, every PLANS_CHANGES_WAITING_DAYS days;
- a submitted version waiting for review, to the coordinators (PLANS_REVIEW_WAITING_DAYS);
- a region that has not started next year's plan by PLANS_START_BY, every week
  (`NotStartedReminder`, as there is no plan yet);
- and each coordinator's weekly overview of what awaits them (`CoordinatorDigest`).
When several reminders of one kind are due at once (beat was down), only the latest is made.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from members.models import User
from plans.conf import plans_setting
from plans.models import (
    WAITING_FOR_REVIEW,
    CoordinatorDigest,
    NotStartedReminder,
    PlanReminder,
    PlanStatus,
    PlanVersion,
    RegionPlan,
    ReminderKind,
)
from plans.notifications import send_digest, send_not_started, send_reminder
from plans.selectors import regions_not_started, start_by


def _local_datetime(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def reminders_create_due(*, now: dt.datetime | None = None) -> int:
    """Make the reminder rows that are due by now; safe to run any number of times at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows: list[PlanReminder] = []
    for plan in RegionPlan.objects.filter(
        status=PlanStatus.DRAFT, deadline__isnull=False, deadline__gte=today
    ).only("pk", "deadline"):
        due = []
        for days in sorted(plans_setting("DEADLINE_REMINDER_DAYS"), reverse=True):
            due_at = _local_datetime(
                plan.deadline - dt.timedelta(days=days), plans_setting("REMINDER_HOUR")
            )
            if due_at <= now:
                due.append(
                    PlanReminder(
                        plan=plan, kind=ReminderKind.DEADLINE, key=f"d-{days}", due_at=due_at
                    )
                )
        # When several are due at once (a deadline set late, or beat was down), only the one
        # closest to the deadline is sent; the earlier ones are recorded as skipped.
        for skipped in due[:-1]:
            skipped.sent_at = now
        rows.extend(due)
    waiting = dt.timedelta(days=plans_setting("REVIEW_WAITING_DAYS"))
    for version in (
        PlanVersion.objects.filter(
            plan__status__in=[*WAITING_FOR_REVIEW, PlanStatus.IN_REVIEW],
            submitted_at__lte=now - waiting,
        )
        .order_by("plan_id", "-number")
        .distinct("plan_id")
    ):
        rows.append(
            PlanReminder(
                plan_id=version.plan_id,
                kind=ReminderKind.REVIEW_WAITING,
                key=f"v{version.number}",
                due_at=version.submitted_at + waiting,
            )
        )
    rows.extend(_overdue_rows(now, today))
    rows.extend(_changes_waiting_rows(now))
    created = PlanReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created) + _not_started_create_due(now, today) + _digests_create_due(now, today)


def _weeks_since(start: dt.datetime, now: dt.datetime, every: int) -> int:
    """How many reminders, one every `every` days from `start` on, are due by `now` (0: none)."""
    if now < start:
        return 0
    return (now - start).days // every + 1


def _overdue_rows(now: dt.datetime, today: dt.date) -> list[PlanReminder]:
    """A draft past its deadline: the latest of the reminders due since the day after it."""
    every = plans_setting("OVERDUE_REMINDER_DAYS")
    rows = []
    for plan in RegionPlan.objects.filter(
        status=PlanStatus.DRAFT, deadline__isnull=False, deadline__lt=today
    ).only("pk", "deadline"):
        first = _local_datetime(
            plan.deadline + dt.timedelta(days=1), plans_setting("REMINDER_HOUR")
        )
        count = _weeks_since(first, now, every)
        if count:
            rows.append(
                PlanReminder(
                    plan=plan,
                    kind=ReminderKind.OVERDUE,
                    # The deadline is in the key: a new deadline starts a new series.
                    key=f"o{plan.deadline:%Y%m%d}-{count}",
                    due_at=first + dt.timedelta(days=every * (count - 1)),
                )
            )
    return rows


def _changes_waiting_rows(now: dt.datetime) -> list[PlanReminder]:
    """Requested changes that wait for the authors: one reminder per period of waiting."""
    every = plans_setting("CHANGES_WAITING_DAYS")
    rows = []
    for plan in RegionPlan.objects.filter(
        status=PlanStatus.CHANGES_REQUESTED,
        status_changed_at__lte=now - dt.timedelta(days=every),
    ).only("pk", "status_changed_at"):
        first = plan.status_changed_at + dt.timedelta(days=every)
        count = _weeks_since(first, now, every)
        rows.append(
            PlanReminder(
                plan=plan,
                kind=ReminderKind.CHANGES_WAITING,
                key=f"c{plan.status_changed_at:%Y%m%d%H%M}-{count}",
                due_at=first + dt.timedelta(days=every * (count - 1)),
            )
        )
    return rows


def _not_started_create_due(now: dt.datetime, today: dt.date) -> int:
    """Regions without a plan for next year, once the date to have started it has passed."""
    year = today.year + 1
    first = _local_datetime(start_by(today.year), plans_setting("REMINDER_HOUR"))
    every = plans_setting("OVERDUE_REMINDER_DAYS")
    count = _weeks_since(first, now, every)
    if not count:
        return 0
    rows = [
        NotStartedReminder(
            region_id=region_id,
            year=year,
            key=f"w{count}",
            due_at=first + dt.timedelta(days=every * (count - 1)),
        )
        for region_id in regions_not_started(today).values_list("pk", flat=True)
    ]
    return len(NotStartedReminder.objects.bulk_create(rows, ignore_conflicts=True))


def _digests_create_due(now: dt.datetime, today: dt.date) -> int:
    """This week's overview for every active coordinator, from the digest day's reminder hour
    (PLANS_DIGEST_WEEKDAY None: no overview)."""
    if plans_setting("DIGEST_WEEKDAY") is None:
        return 0
    days_back = (today.weekday() - plans_setting("DIGEST_WEEKDAY")) % 7
    digest_day = today - dt.timedelta(days=days_back)
    if now < _local_datetime(digest_day, plans_setting("REMINDER_HOUR")):
        return 0
    iso = digest_day.isocalendar()
    key = f"{iso.year}-W{iso.week:02d}"
    rows = [
        CoordinatorDigest(user_id=pk, key=key)
        for pk in User.objects.filter(role=Role.COORDINATOR, is_active=True).values_list(
            "pk", flat=True
        )
    ]
    return len(CoordinatorDigest.objects.bulk_create(rows, ignore_conflicts=True))


def reminders_send_due(*, now: dt.datetime | None = None, batch: int = 50) -> int:
    """Send every due, unsent reminder exactly once.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED inside one transaction that also
    marks them sent: a second sender running at the same time skips the claimed rows, and one
    running later finds them marked.
    """
    now = now or timezone.now()
    return (
        _send_plan_reminders(now, batch) + _send_not_started(now, batch) + _send_digests(now, batch)
    )


def _send_plan_reminders(now: dt.datetime, batch: int) -> int:
    sent = 0
    while True:
        with transaction.atomic():
            claimed = list(
                PlanReminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("plan", "plan__region")
                .filter(sent_at__isnull=True, due_at__lte=now)
                .order_by("due_at", "pk")[:batch]
            )
            if not claimed:
                return sent
            for reminder in claimed:
                count = send_reminder(reminder) if _still_relevant(reminder) else 0
                reminder.sent_at = timezone.now()
                reminder.recipient_count = count
                reminder.save(update_fields=["sent_at", "recipient_count"])
                sent += 1 if count else 0


def _send_not_started(now: dt.datetime, batch: int) -> int:
    sent = 0
    while True:
        with transaction.atomic():
            claimed = list(
                NotStartedReminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("region")
                .filter(sent_at__isnull=True, due_at__lte=now)
                .order_by("due_at", "pk")[:batch]
            )
            if not claimed:
                return sent
            for reminder in claimed:
                still = not RegionPlan.objects.filter(
                    region_id=reminder.region_id, year=reminder.year
                ).exists()
                count = send_not_started(reminder.region, reminder.year) if still else 0
                reminder.sent_at = timezone.now()
                reminder.recipient_count = count
                reminder.save(update_fields=["sent_at", "recipient_count"])
                sent += 1 if count else 0


def _send_digests(now: dt.datetime, batch: int) -> int:
    sent = 0
    while True:
        with transaction.atomic():
            claimed = list(
                CoordinatorDigest.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(sent_at__isnull=True)
                .order_by("pk")[:batch]
            )
            if not claimed:
                return sent
            for digest in claimed:
                items = send_digest(digest.user, today=timezone.localdate(now))
                digest.sent_at = timezone.now()
                digest.item_count = min(items, 32767)
                digest.save(update_fields=["sent_at", "item_count"])
                sent += 1 if items else 0


def _still_relevant(reminder: PlanReminder) -> bool:
    plan = reminder.plan
    if reminder.kind == ReminderKind.DEADLINE:
        return plan.status == PlanStatus.DRAFT
    if reminder.kind == ReminderKind.OVERDUE:
        return (
            plan.status == PlanStatus.DRAFT
            and plan.deadline is not None
            and reminder.key.startswith(f"o{plan.deadline:%Y%m%d}-")
        )
    if reminder.kind == ReminderKind.CHANGES_WAITING:
        return plan.status == PlanStatus.CHANGES_REQUESTED and reminder.key.startswith(
            f"c{plan.status_changed_at:%Y%m%d%H%M}-"
        )
    latest = plan.latest_version
    return (
        plan.status in {*WAITING_FOR_REVIEW, PlanStatus.IN_REVIEW}
        and latest is not None
        and reminder.key == f"v{latest.number}"
    )
