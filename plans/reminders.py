"""Reminders of the regioplannen: rows made when due (a deadline coming closer, a plan waiting
for review) and each sent exactly once. Run by the beat task `plans.tasks.send_reminders`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from plans.conf import plans_setting
from plans.models import (
    WAITING_FOR_REVIEW,
    PlanReminder,
    PlanStatus,
    PlanVersion,
    RegionPlan,
    ReminderKind,
)
from plans.notifications import send_reminder


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
    created = PlanReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def reminders_send_due(*, now: dt.datetime | None = None, batch: int = 50) -> int:
    """Send every due, unsent reminder exactly once.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED inside one transaction that also
    marks them sent: a second sender running at the same time skips the claimed rows, and one
    running later finds them marked.
    """
    now = now or timezone.now()
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


def _still_relevant(reminder: PlanReminder) -> bool:
    plan = reminder.plan
    if reminder.kind == ReminderKind.DEADLINE:
        return plan.status == PlanStatus.DRAFT
    latest = plan.latest_version
    return (
        plan.status in {*WAITING_FOR_REVIEW, PlanStatus.IN_REVIEW}
        and latest is not None
        and reminder.key == f"v{latest.number}"
    )
