"""Background work: review reminders to advisers, session reminders to participants, and the
mail to someone who moved up from a waiting list.

Due work is a database row with a sent mark (`PlanReview.reminder_sent_at`,
`Enrolment.reminder_sent_at`), claimed with `select_for_update(skip_locked=True)` inside a
transaction and marked in the same transaction as the mail is sent. Running a task twice, or
two at once, sends each reminder exactly once.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.claims import handle_once_in_batches
from core.mail import send_templated_mail
from trajectories.models import Enrolment, EnrolmentStatus, PlanReview, Trajectory
from trajectories.signup import send_public_signup_mail  # noqa: F401  (registers the task)

BATCH = 100
REVIEW_DAYS_AHEAD = 3
SESSION_HOURS_AHEAD = 24


def _email_of(trajectory: Trajectory) -> str:
    person = trajectory.member or trajectory.participant
    return person.email if person else ""


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@shared_task(
    name="trajectories.send_review_reminders",
    ignore_result=True,
    time_limit=300,
    soft_time_limit=240,
)
def send_review_reminders() -> int:
    """Remind each adviser of a plan review due within a few days, once per review."""
    today = timezone.localdate()
    return handle_once_in_batches(
        PlanReview.objects.due_for_reminder(today, REVIEW_DAYS_AHEAD)
        .select_related("trajectory__adviser")
        .order_by("due_on", "pk"),
        mark="reminder_sent_at",
        handle=_mail_review_reminder,
        batch=BATCH,
    )


def _mail_review_reminder(review: PlanReview) -> None:
    trajectory = review.trajectory
    # The mail names the trajectory number only: no personal data in the inbox.
    send_templated_mail(
        "trajectories/mail/review_reminder",
        {
            "number": trajectory.pk,
            "due_on": review.due_on,
            "url": _site(reverse("trajectories:detail", kwargs={"pk": trajectory.pk})),
        },
        [trajectory.adviser.email],
    )


@shared_task(
    name="trajectories.send_session_reminders",
    ignore_result=True,
    time_limit=300,
    soft_time_limit=240,
)
def send_session_reminders() -> int:
    """Remind each enrolled participant of their session a day ahead, once per enrolment."""
    now = timezone.now()
    return handle_once_in_batches(
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + datetime.timedelta(hours=SESSION_HOURS_AHEAD),
        )
        .select_related(
            "session__workshop",
            "session__union_house",
            "trajectory__member",
            "trajectory__participant",
        )
        .order_by("pk"),
        mark="reminder_sent_at",
        handle=_mail_session_reminder,
        batch=BATCH,
    )


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def _mail_session_reminder(enrolment: Enrolment) -> None:
    address = _email_of(enrolment.trajectory)
    if not address:
        return  # marked all the same: there is no one to remind
    session = enrolment.session
    send_templated_mail(
        "trajectories/mail/session_reminder",
        {
            "title": session.workshop.title,
            "when": _when(session.starts_at),
            "where": session.location,
            "url": _site(reverse("trajectories:my_workshops")),
        },
        [address],
    )


@shared_task(
    name="trajectories.send_moved_up_mail", ignore_result=True, time_limit=60, soft_time_limit=50
)
def send_moved_up_mail(enrolment_id: int) -> bool:
    """Tell someone their waiting-list place became a real place. Safe to run twice:
    `moved_up_mail_sent` is the sent mark."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("session__workshop", "trajectory__member", "trajectory__participant")
            .filter(pk=enrolment_id, status=EnrolmentStatus.ENROLLED, moved_up_mail_sent=False)
            .first()
        )
        if enrolment is None:
            return False
        address = _email_of(enrolment.trajectory)
        if address:
            session = enrolment.session
            send_templated_mail(
                "trajectories/mail/moved_up",
                {
                    "title": session.workshop.title,
                    "when": _when(session.starts_at),
                    "url": _site(reverse("trajectories:my_workshops")),
                },
                [address],
            )
        enrolment.moved_up_mail_sent = True
        enrolment.save(update_fields=["moved_up_mail_sent"])
        return True
