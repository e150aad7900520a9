"""Background work of the signals app. Every task takes ids (or nothing), and is safe to run
twice: emails are claimed per notification row with a conditional UPDATE before sending."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from signals.models import NotificationPreference, SignalNotification


@shared_task(
    name="signals.tasks.detect_signals", ignore_result=True, time_limit=600, soft_time_limit=540
)
def detect_signals(full: bool | None = None) -> dict:
    from signals.detection import run_detection

    result = run_detection(full=full)
    return {"full": result.full, "opened": result.opened, "grown": result.grown}


@shared_task(
    name="signals.tasks.send_reminders", ignore_result=True, time_limit=300, soft_time_limit=240
)
def send_reminders() -> int:
    from signals.services import send_reminders as service

    return service()


def _digest_user_ids() -> set[int]:
    return set(
        NotificationPreference.objects.filter(daily_digest=True).values_list("user_id", flat=True)
    )


def _claim(queryset) -> list[SignalNotification]:
    """Claim unsent rows one by one with a conditional UPDATE: each row is emailed once."""
    now = timezone.now()
    claimed = []
    for notification in queryset.select_related("signal", "signal__rule", "recipient"):
        if SignalNotification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now
        ):
            claimed.append(notification)
    return claimed


def _signal_url(notification: SignalNotification) -> str:
    return settings.SITE_URL + reverse("signals:signal", kwargs={"pk": notification.signal_id})


@shared_task(
    name="signals.tasks.send_signal_emails", ignore_result=True, time_limit=300, soft_time_limit=240
)
def send_signal_emails() -> int:
    """Email every unsent notification of people who want single emails."""
    pending = SignalNotification.objects.filter(emailed_at__isnull=True).exclude(
        recipient_id__in=_digest_user_ids()
    )
    sent = 0
    for notification in _claim(pending):
        body = render_to_string(
            "signals/email/notification.txt",
            {"notification": notification, "url": _signal_url(notification)},
        )
        send_mail(
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.get_kind_display()}: "
            f"{notification.signal.title}",
            body,
            None,
            [notification.recipient.email],
        )
        sent += 1
    return sent


@shared_task(
    name="signals.tasks.send_daily_digest", ignore_result=True, time_limit=600, soft_time_limit=540
)
def send_daily_digest() -> int:
    """One email a day per person who chose the digest, with everything not yet emailed."""
    sent = 0
    for user_id in _digest_user_ids():
        with transaction.atomic():
            claimed = _claim(
                SignalNotification.objects.filter(emailed_at__isnull=True, recipient_id=user_id)
            )
            if not claimed:
                continue
            body = render_to_string(
                "signals/email/digest.txt",
                {"items": [(n, _signal_url(n)) for n in claimed]},
            )
            send_mail(
                f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}" + _("Signalen van vandaag"),
                body,
                None,
                [claimed[0].recipient.email],
            )
            sent += 1
    return sent
