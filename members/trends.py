"""This app's monthly series for the region dashboards (declared in MembersConfig as
`region_trends`, collected by core.registry.region_trends), and the members per municipality.

Counts only, aggregated in SQL per region and month; the dashboard applies the minimum-group
rule (core.figures) to what it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from core.registry import Trend
from core.trends import monthly_counts
from members.models import Member, MemberStatus


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    section = _("Leden")
    return [
        Trend(
            "members.joined",
            _("Nieuwe leden per maand"),
            section,
            monthly_counts(
                Member.objects.all(), date_field="member_since", months=months, regions=regions
            ),
        ),
        Trend(
            "members.ended",
            _("Beëindigde lidmaatschappen per maand"),
            section,
            monthly_counts(
                Member.objects.all(), date_field="ended_on", months=months, regions=regions
            ),
        ),
    ]


def active_by_municipality(region: Any) -> list[tuple[str, int]]:
    """Active members of the region per municipality of residence, largest first; members
    without a known municipality under "Onbekende gemeente". One query."""
    rows = (
        Member.objects.filter(region=region, status=MemberStatus.ACTIVE)
        .values_list("municipality__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality__name")
    )
    return [(name or _("Onbekende gemeente"), n) for name, n in rows]
