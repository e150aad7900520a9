"""Reminders of referrals nobody picked up: the first at the due date, then one a week while
the referral is still new. Each reminder is a row (`ReferralReminder`, unique per referral and
number) with a sent mark, claimed once with core.claims: a second run, or two at once, sends
nothing twice. A run that was missed for weeks sends the current reminder only."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.claims import handle_once_in_batches
from core.conf import feature_setting
from core.mail import send_templated_mail
from referrals.models import Referral, ReferralReminder, Status
from referrals.routing import receivers

REMINDER_INTERVAL_DAYS = 7
BATCH = 100


def interval() -> dt.timedelta:
    return dt.timedelta(days=int(feature_setting("REFERRAL_REMINDER_DAYS", REMINDER_INTERVAL_DAYS)))


def plan_reminders(*, now: dt.datetime) -> int:
    """Add the reminder that is due now for each untouched referral past its due date."""
    step = interval()
    due = []
    for referral_id, due_at in Referral.objects.overdue(now).values_list("pk", "due_at"):
        number = int((now - due_at) / step) + 1
        due.append(
            ReferralReminder(
                referral_id=referral_id, number=number, due_at=due_at + step * (number - 1)
            )
        )
    created = ReferralReminder.objects.bulk_create(due, ignore_conflicts=True)
    return len(created)


def _mail(reminder: ReferralReminder) -> None:
    referral = reminder.referral
    # The mail names the number and kind only: no personal data in an inbox.
    url = settings.SITE_URL + reverse("referrals:detail", kwargs={"pk": referral.pk})
    to = [user.email for user in receivers(referral) if user.email]
    send_templated_mail(
        "referrals/mail/reminder",
        {"referral": referral, "number": reminder.number, "url": url},
        to,
    )


def send_reminders(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    plan_reminders(now=now)
    return handle_once_in_batches(
        ReferralReminder.objects.filter(referral__status=Status.NEW, due_at__lte=now)
        .select_related("referral")
        .order_by("due_at", "pk"),
        mark="sent_at",
        handle=_mail,
        batch=BATCH,
    )
