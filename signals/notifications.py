"""Who hears of a signal, and how: routing (the sector officials of its sector, the
coordinators of its region, and, when nobody is responsible, the admins; a signal is never
dropped), inbox entries, reminders for signals left open, and the emails.

The email tasks live here, beside `notify` that enqueues them, under their registered names
`signals.tasks.*` (tasks.py imports this module, so a worker registers them). Every email is
claimed per notification row with a conditional UPDATE before sending: safe to run twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
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


Route = tuple[int | None, int | None]  # (sector id, region id)


def routes_for(routes: Iterable[Route]) -> dict[Route, tuple[list[int], bool]]:
    """For each (sector, region): the ids of the people a signal with it goes to, and whether
    they are the fallback. Employer and sector signals go by sector (its active sector
    officials), regional rises by region (its active coordinators); nobody responsible: the
    active admins. At most three queries for any number of routes: a first detection run opens
    signals in every sector and region at once."""
    routes = set(routes)
    sector_ids = {sector for sector, _ in routes if sector is not None}
    region_ids = {region for sector, region in routes if sector is None and region is not None}
    by_sector: dict[int, list[int]] = defaultdict(list)
    by_region: dict[int, list[int]] = defaultdict(list)
    if sector_ids:
        for user_id, sector_id in User.sectors.through.objects.filter(
            sector_id__in=sector_ids, user__role=Role.SECTOR_OFFICIAL, user__is_active=True
        ).values_list("user_id", "sector_id"):
            by_sector[sector_id].append(user_id)
    if region_ids:
        for user_id, region_id in User.regions.through.objects.filter(
            region_id__in=region_ids, user__role=Role.COORDINATOR, user__is_active=True
        ).values_list("user_id", "region_id"):
            by_region[region_id].append(user_id)
    admins: list[int] | None = None
    result: dict[Route, tuple[list[int], bool]] = {}
    for route in routes:
        sector, region = route
        if sector is not None:
            responsible = by_sector.get(sector, [])
        else:
            responsible = by_region.get(region, []) if region is not None else []
        if responsible:
            result[route] = (sorted(responsible), False)
            continue
        if admins is None:
            admins = sorted(
                User.objects.filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True)
            )
        result[route] = (admins, True)
    return result


# --- inbox entries and reminders --------------------------------------------------------------


def notify(*, signals: Sequence[Routed], kind: str) -> int:
    """Inbox entries for everyone a signal is routed to, once per (signal, person, kind,
    count); emails go out after commit (signals.tasks.send_signal_emails claims them)."""
    routes = routes_for((signal.sector_id, signal.region_id) for signal in signals)
    signal_ids, recipient_ids, counts, fallbacks = [], [], [], []
    for signal in signals:
        user_ids, is_fallback = routes[(signal.sector_id, signal.region_id)]
        for user_id in user_ids:
            signal_ids.append(signal.pk)
            recipient_ids.append(user_id)
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
