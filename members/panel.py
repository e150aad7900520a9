"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data; a count below the minimum group size is shown as
"minder dan N" (fnvregio.figures.shown). The three counts are no split of one another.
"""

from __future__ import annotations

from django.db.models import Count, Q

from core.figures import shown
from members.models import Member, MemberStatus


def region_panel(region, *, since, until) -> dict:
    figures = Member.objects.filter(region=region).aggregate(
        active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)),
        joined=Count("pk", filter=Q(member_since__gte=since, member_since__lte=until)),
        ended=Count("pk", filter=Q(ended_on__gte=since, ended_on__lte=until)),
    )
    return {
        "title": "Leden",
        "figures": [
            ["Actieve leden", shown(figures["active"])],
            ["Lid geworden in de periode", shown(figures["joined"])],
            ["Lidmaatschap beëindigd in de periode", shown(figures["ended"])],
        ],
    }
