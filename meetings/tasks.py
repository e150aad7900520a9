"""Mails about registrations: the confirmation, the place that came free, the reminder a day
ahead (once per registration: `reminder_sent_at` is the sent mark, claimed with
core.claims) and the cancelled meeting."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.claims import handle_once_in_batches
from meetings.mail import build_message
from meetings.models import Registration, RegistrationStatus

BATCH = 100
REMINDER_HOURS_AHEAD = 24


def _registration(pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("meeting__union_house", "member__user")
        .filter(pk=pk)
        .first()
    )


def _send(registration: Registration, kind: str) -> bool:
    message = build_message(registration, kind=kind)
    if message is None:
        return False
    return bool(message.send())


@shared_task(
    name="meetings.send_confirmation_mail", ignore_result=True, time_limit=60, soft_time_limit=50
)
def send_confirmation_mail(registration_id: int) -> bool:
    """The confirmation (a place, with .ics; or a place on the waiting list)."""
    registration = _registration(registration_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return False
    return _send(registration, "confirmation")


@shared_task(
    name="meetings.send_moved_up_mail", ignore_result=True, time_limit=60, soft_time_limit=50
)
def send_moved_up_mail(registration_id: int) -> bool:
    """Tell someone their waiting-list place became a real place, once."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("meeting__union_house", "member__user")
            .filter(
                pk=registration_id,
                status=RegistrationStatus.REGISTERED,
                moved_up_mail_sent_at__isnull=True,
            )
            .first()
        )
        if registration is None:
            return False
        _send(registration, "moved_up")
        registration.moved_up_mail_sent_at = timezone.now()
        registration.save(update_fields=["moved_up_mail_sent_at"])
        return True


@shared_task(
    name="meetings.send_cancelled_meeting_mail",
    ignore_result=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_cancelled_meeting_mail(registration_id: int) -> bool:
    registration = _registration(registration_id)
    if registration is None or not registration.meeting.is_cancelled:
        return False
    return _send(registration, "cancelled")


@shared_task(
    name="meetings.send_reminders", ignore_result=True, time_limit=300, soft_time_limit=240
)
def send_reminders() -> int:
    """Remind each registered person a day ahead, once per registration."""
    now = timezone.now()
    return handle_once_in_batches(
        Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            meeting__cancelled_at__isnull=True,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + datetime.timedelta(hours=REMINDER_HOURS_AHEAD),
        )
        .select_related("meeting__union_house", "member__user")
        .order_by("pk"),
        mark="reminder_sent_at",
        handle=lambda registration: _send(registration, "reminder"),
        batch=BATCH,
    )
