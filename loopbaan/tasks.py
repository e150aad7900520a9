"""Background work of Loopbaan FNV: appointment mails and the reminder run.

Tasks take ids and are idempotent: an appointment mail is recorded in AppointmentMail (one per
appointment, recipient, kind and calendar sequence) in the same transaction as the send; a
reminder is claimed with SELECT … FOR UPDATE SKIP LOCKED and marked sent in the transaction of
its send. A crash between claim and commit rolls the mark back and the next run retries it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from loopbaan.mail import build_message
from loopbaan.models import Appointment, AppointmentMail, AppointmentStatus, Reminder
from members.models import User

logger = logging.getLogger(__name__)


@shared_task(
    name="loopbaan.tasks.send_appointment_mail",
    ignore_result=True,
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_appointment_mail(
    appointment_id: int,
    kind: str,
    recipient_ids: list[int],
    sequence: int,
    extra: dict[str, Any] | None = None,
) -> int:
    """Send one kind of appointment mail to each recipient once (per calendar sequence)."""
    sent = 0
    appointment = (
        Appointment.objects.select_related("member", "union_house")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return 0
    for user in User.objects.filter(pk__in=recipient_ids):
        with transaction.atomic():
            _, created = AppointmentMail.objects.get_or_create(
                appointment=appointment, recipient=user, kind=kind, sequence=sequence
            )
            if not created:
                continue
            build_message(appointment, kind=kind, recipient=user, extra=extra).send()
            sent += 1
    return sent


def _claim_next(now: datetime, skipped: set[int]) -> Reminder | None:
    return (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            sent_at__isnull=True,
            due_at__lte=now,
            appointment__status=AppointmentStatus.BOOKED,
            appointment__starts_at__gt=now,
        )
        .exclude(pk__in=skipped)
        .select_related(
            "appointment", "appointment__member", "appointment__union_house", "recipient"
        )
        .order_by("due_at", "pk")
        .first()
    )


def send_reminder(reminder: Reminder) -> None:
    """The send itself (a seam for tests that simulate a crash half-way)."""
    build_message(reminder.appointment, kind="reminder", recipient=reminder.recipient).send()


@shared_task(
    name="loopbaan.tasks.send_due_reminders",
    ignore_result=True,
    time_limit=300,
    soft_time_limit=280,
)
def send_due_reminders(limit: int = 500) -> int:
    """Send every due reminder exactly once; each in its own transaction."""
    sent = 0
    skipped: set[int] = set()
    while sent + len(skipped) < limit:
        now = timezone.now()
        reminder = None
        try:
            with transaction.atomic():
                reminder = _claim_next(now, skipped)
                if reminder is None:
                    break
                send_reminder(reminder)
                Reminder.objects.filter(pk=reminder.pk).update(sent_at=now)
                sent += 1
        except Exception:  # one failing mail must not stop the others
            if reminder is None:
                raise
            # The transaction rolled back: the reminder stays unsent for the next run.
            logger.exception("Reminder %s not sent; retried in the next run", reminder.pk)
            skipped.add(reminder.pk)
    return sent
