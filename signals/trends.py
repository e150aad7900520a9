"""This app's monthly series for the region dashboards (declared in SignalsConfig as
`region_trends`, collected by core.registry.region_trends): consultation sessions in all and
per channel, signals opened and closed. Counts only, in SQL per region and month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.registry import Trend
from core.trends import add, monthly_counts, monthly_counts_by
from signals.models import ConsultationSession, Place, Signal


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    section = _("Spreekuren en signalen")
    # One query for the sessions, split by channel; the total is their sum.
    by_place = monthly_counts_by(
        ConsultationSession.objects.all(),
        by="place",
        date_field="day",
        months=months,
        regions=regions,
    )
    trends = [
        Trend(
            "signals.sessions",
            _("Spreekuurgesprekken per maand"),
            section,
            add(*by_place.values()),
        )
    ]
    for place in Place:
        trends.append(
            Trend(
                f"signals.sessions.{place.value}",
                _("Gesprekken via %(channel)s") % {"channel": str(place.label).lower()},
                section,
                by_place.get(place.value, {}),
            )
        )
    trends += [
        Trend(
            "signals.opened",
            _("Signalen geopend per maand"),
            section,
            monthly_counts(
                Signal.objects.all(), date_field="opened_at", months=months, regions=regions
            ),
        ),
        Trend(
            "signals.closed",
            _("Signalen afgesloten per maand"),
            section,
            monthly_counts(
                Signal.objects.filter(status="closed"),
                date_field="ended_at",
                months=months,
                regions=regions,
            ),
        ),
    ]
    return trends
