"""Figures about meetings: a region's data panel (collected by core.registry.region_panel) and
the months for the dashboard (`monthly`).

Only meetings that took place count (started, not cancelled); registrations are the places
taken at them (not the waiting list, not cancelled ones); attended is what the organiser
recorded. The panel's counts go through core.figures; `monthly` returns plain numbers for a
page that applies core.figures itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures import breakdown, part_of, shown
from meetings.models import Meeting, Registration, RegistrationStatus, Theme


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), timezone.get_current_timezone())


def _held(now: dt.datetime | None = None) -> QuerySet[Meeting]:
    return Meeting.objects.filter(cancelled_at__isnull=True, starts_at__lte=now or timezone.now())


def region_panel(region: Any, *, since: dt.date, until: dt.date) -> dict[str, Any]:
    meetings = _held().filter(
        region=region, starts_at__gte=_moment(since), starts_at__lt=_moment(until)
    )
    places = Registration.objects.filter(meeting__in=meetings, status=RegistrationStatus.REGISTERED)
    totals = places.aggregate(
        registrations=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    )
    per_theme = dict(
        places.values_list("meeting__theme")
        .annotate(n=Count("pk"))
        .values_list("meeting__theme", "n")
    )
    themes = breakdown(
        [(str(label), per_theme.get(value, 0)) for value, label in Theme.choices],
        total=totals["registrations"],
    )
    return {
        "title": _("Informatiebijeenkomsten"),
        "figures": [
            [_("Bijeenkomsten gehouden"), meetings.count()],
            [_("Aanmeldingen"), shown(totals["registrations"])],
            [_("waarvan aanwezig"), part_of(totals["attended"], totals["registrations"])],
            *[[_("Aanmeldingen: %(theme)s") % {"theme": label}, n] for label, n in themes],
        ],
    }


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def monthly(region_ids: list[int] | None, first_month: dt.date, months: int) -> list[dict]:
    """Per month from `first_month` on, `months` long: {"month": date (the 1st), "meetings",
    "registrations", "attended"} as plain counts (the caller protects small ones with
    core.figures). `region_ids` None: every region."""
    start = _first_of_month(first_month)
    end = _add_months(start, months)
    meetings = _held().filter(starts_at__gte=_moment(start), starts_at__lt=_moment(end))
    if region_ids is not None:
        meetings = meetings.filter(region_id__in=region_ids)
    zone = timezone.get_current_timezone()
    held = {
        row["month"].date(): row["n"]
        for row in meetings.annotate(month=TruncMonth("starts_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
    }
    people = {
        row["month"].date(): row
        for row in Registration.objects.filter(
            meeting__in=meetings, status=RegistrationStatus.REGISTERED
        )
        .annotate(month=TruncMonth("meeting__starts_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"), came=Count("pk", filter=Q(attended=True)))
    }
    result = []
    for offset in range(months):
        month = _add_months(start, offset)
        row: Any = people.get(month, {})
        result.append(
            {
                "month": month,
                "meetings": held.get(month, 0),
                "registrations": row.get("n", 0),
                "attended": row.get("came", 0),
            }
        )
    return result
