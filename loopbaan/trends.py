"""This app's monthly series for the region dashboards (declared in LoopbaanConfig as
`region_trends`, collected by core.registry.region_trends), and the appointments per union house.
Counts only, in SQL per region and month (or per house)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.registry import Trend
from core.trends import monthly_counts
from loopbaan.models import Appointment, AppointmentStatus


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    section = _("Loopbaan FNV")
    return [
        Trend(
            "loopbaan.held",
            _("Loopbaanafspraken gehouden per maand"),
            section,
            monthly_counts(
                Appointment.objects.filter(status=AppointmentStatus.HELD),
                date_field="starts_at",
                months=months,
                regions=regions,
            ),
        ),
        Trend(
            "loopbaan.no_show",
            _("Lid niet verschenen per maand"),
            section,
            monthly_counts(
                Appointment.objects.filter(status=AppointmentStatus.NO_SHOW),
                date_field="starts_at",
                months=months,
                regions=regions,
            ),
        ),
    ]


def per_union_house(region: Any, *, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Per union house of the region (and online), the appointments that were planned in the
    period: held, not attended, cancelled, and the share of the planned ones that took place
    (the house's use of what was booked). One query."""
    rows = (
        Appointment.objects.filter(region=region, starts_at__gte=since, starts_at__lt=until)
        .values_list("union_house__name")
        .annotate(
            held=Count("pk", filter=Q(status=AppointmentStatus.HELD)),
            no_show=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
            booked=Count("pk", filter=Q(status=AppointmentStatus.BOOKED)),
        )
        .order_by("union_house__name")
    )
    return [
        {
            "house": name or _("Online"),
            "held": held,
            "no_show": no_show,
            "cancelled": cancelled,
            "booked": booked,
        }
        for name, held, no_show, cancelled, booked in rows
    ]
