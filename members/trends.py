"""This app's monthly series for the region dashboards (declared in MembersConfig as
`region_trends`, collected by core.registry.region_trends), and the members per municipality.

Counts only, aggregated in SQL per region and month; the dashboard applies the minimum-group
rule (core.figures) to what it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from core.registry import Trend
from core.trends import next_month
from members.models import Member, MemberStatus


def _joined_and_ended(regions: Any, months: list[dt.date]) -> tuple[dict, dict]:
    """Members who joined and whose membership ended per region and month, in one pass over
    the members (member_since and ended_on have no index of their own; one scan, not two)."""
    start, end = months[0], next_month(months[-1])
    rows = Member.objects.filter(
        Q(member_since__gte=start, member_since__lt=end) | Q(ended_on__gte=start, ended_on__lt=end)
    )
    if regions is None:
        rows = rows.filter(region__isnull=False)
    else:
        rows = rows.filter(region__in=[getattr(r, "pk", r) for r in regions])
    counted = (
        rows.annotate(joined=TruncMonth("member_since"), ended=TruncMonth("ended_on"))
        .values_list("region", "joined", "ended")
        .annotate(n=Count("pk"))
        .order_by()
    )
    position = {m: i for i, m in enumerate(months)}
    joined: dict[int, list[int]] = {}
    ended: dict[int, list[int]] = {}
    for region_id, joined_month, ended_month, n in counted:
        for into, month in ((joined, joined_month), (ended, ended_month)):
            day = month.date() if isinstance(month, dt.datetime) else month
            if day in position:
                into.setdefault(region_id, [0] * len(months))[position[day]] += n
    return joined, ended


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    section = _("Leden")
    joined, ended = _joined_and_ended(regions, months)
    return [
        Trend("members.joined", _("Nieuwe leden per maand"), section, joined),
        Trend("members.ended", _("Beëindigde lidmaatschappen per maand"), section, ended),
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
