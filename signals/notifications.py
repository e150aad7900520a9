"""Who hears of a signal, and how: routing (the sector officials of its sector, the
coordinators of its region, and, when nobody is responsible, the admins; a signal is never
dropped), inbox entries, reminders for signals left open, and the emails.

The email tasks live here, beside `notify` that enqueues them, under their registered names
`signals.tasks.*` (tasks.py imports this module, so a worker registers them). Every email is
claimed per notification row with a conditional UPDATE before sending: safe to run twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import send_templated_mail
from core.roles import Role
from members.models import User
from signals.models import (
    NotificationKind,
    NotificationPreference,
    Signal,
    SignalNotification,
    SignalStatus,
)

# --- routing ----------------------------------------------------------------------------------


class Routed(Protocol):
    """What routing and an inbox entry need of a signal: a Signal, or the few fields a
    detection run has of the thousands it opens at once (models are slow to build)."""

    @property
    def pk(self) -> int: ...
    @property
    def sector_id(self) -> int | None: ...
    @property
    def region_id(self) -> int | None: ...
    @property
    def count(self) -> int: ...


def _responsible(sector_id: int | None, region_id: int | None) -> list[User]:
    if sector_id is not None:
        return list(
            User.objects.filter(role=Role.SECTOR_OFFICIAL, is_active=True, sectors=sector_id)
        )
    if region_id is not None:
        return list(User.objects.filter(role=Role.COORDINATOR, is_active=True, regions=region_id))
    return []


def recipients_for(signal: Routed) -> tuple[list[User], bool]:
    """(users, is_fallback). Employer and sector signals go by sector, regional rises by region."""
    users = _responsible(signal.sector_id, signal.region_id)
    if users:
        return users, False
    return list(User.objects.filter(role=Role.ADMIN, is_active=True)), True


# --- inbox entries and reminders --------------------------------------------------------------


def notify(*, signals: Sequence[Routed], kind: str) -> int:
    """Inbox entries for everyone a signal is routed to, once per (signal, person, kind,
    count); emails go out after commit (signals.tasks.send_signal_emails claims them)."""
    routes: dict[tuple, tuple[list[User], bool]] = {}
    signal_ids, recipient_ids, counts, fallbacks = [], [], [], []
    for signal in signals:
        route = (signal.sector_id, signal.region_id)
        if route not in routes:
            routes[route] = recipients_for(signal)
        users, is_fallback = routes[route]
        for user in users:
            signal_ids.append(signal.pk)
            recipient_ids.append(user.pk)
            counts.append(signal.count)
            fallbacks.append(is_fallback)
    if not signal_ids:
        return 0
    # One set-based INSERT: a first detection run notifies about thousands of signals at once.
    # ON CONFLICT DO NOTHING: the unique (signal, recipient, kind, count) makes it once only.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO signals_signalnotification
                (signal_id, recipient_id, kind, count, is_fallback, created_at)
            SELECT t.signal_id, t.recipient_id, %(kind)s, t.count, t.is_fallback, %(now)s
            FROM unnest(%(signals)s::bigint[], %(recipients)s::bigint[], %(counts)s::int[],
                        %(fallbacks)s::boolean[]) AS t(signal_id, recipient_id, count, is_fallback)
            ON CONFLICT DO NOTHING
            """,
            {
                "kind": kind,
                "now": timezone.now(),
                "signals": signal_ids,
                "recipients": recipient_ids,
                "counts": counts,
                "fallbacks": fallbacks,
            },
        )
    transaction.on_commit(send_signal_emails.delay)
    return len(signal_ids)


def claim_reminders(*, now: dt.datetime | None = None) -> list[Signal]:
    """Signals still open after their rule's reminder period, each claimed exactly once."""
    now = now or timezone.now()
    claimed = []
    for signal in Signal.objects.filter(
        status=SignalStatus.OPEN, reminder_sent_at__isnull=True
    ).select_related("rule"):
        if signal.opened_at > now - dt.timedelta(days=signal.rule.reminder_days):
            continue
        if Signal.objects.filter(
            pk=signal.pk, status=SignalStatus.OPEN, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now):
            claimed.append(signal)
    return claimed


@transaction.atomic
def send_reminders(*, now: dt.datetime | None = None) -> int:
    signals = claim_reminders(now=now)
    notify(signals=signals, kind=NotificationKind.REMINDER)
    return len(signals)


# --- emails -----------------------------------------------------------------------------------


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
        send_templated_mail(
            "signals/mail/notification",
            {"notification": notification, "url": _signal_url(notification)},
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
            send_templated_mail(
                "signals/mail/digest",
                {"items": [(n, _signal_url(n)) for n in claimed]},
                [claimed[0].recipient.email],
            )
            sent += 1
    return sent
