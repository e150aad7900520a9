"""Figures this app gives to a region's data panel (collected by core.registry.region_panel):
referrals made in the period, how many were picked up within their due date, and the median
days to pick one up. Aggregates only; small numbers are hidden (core.figures)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures import min_group_size, part_of, shown
from referrals.figures import hours_to_pick_up
from referrals.models import Referral


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), timezone.get_current_timezone())


def region_panel(region, *, since, until) -> dict:
    figures = Referral.objects.filter(
        region=region, created_at__gte=_moment(since), created_at__lt=_moment(until)
    ).aggregate(
        made=Count("pk"),
        picked_up=Count("pk", filter=Q(accepted_at__isnull=False) | Q(closed_at__isnull=False)),
        in_time=Count(
            "pk",
            filter=Q(accepted_at__lte=F("due_at"))
            | Q(accepted_at__isnull=True, closed_at__lte=F("due_at")),
        ),
        median_hours=hours_to_pick_up(),
    )
    median = figures["median_hours"]
    # A median of a handful would describe those few: shown from the minimum group up.
    if figures["picked_up"] < min_group_size() or median is None:
        median_text: str | float = _("te weinig om te tonen") if figures["picked_up"] else "–"
    else:
        median_text = round(median / 24, 1)
    return {
        "title": _("Doorverwijzingen"),
        "figures": [
            [_("Doorverwijzingen gedaan"), shown(figures["made"])],
            [_("waarvan op tijd opgepakt"), part_of(figures["in_time"], figures["made"])],
            [_("Mediaan dagen tot oppakken"), median_text],
        ],
    }
