"""Figures this app gives to a region's data panel (declared in MembersConfig, collected by
core.registry.region_panel).

Aggregates only, never personal data. Active members are broken down by sector: a sector with
fewer active members than the minimum group size is not shown on its own but counted with the
other small sectors; that remainder is withheld when it is below the minimum, and so is the
smallest sector with it, so the total minus the shown sectors does not give it back
(core.figures). Joined and ended are counts of their own, no split of the active members.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.figures import breakdown, min_group_size, shown
from members.models import Member, MemberStatus


def _sector_rows(region, active: int) -> list[list]:
    minimum = min_group_size()
    if active < minimum:
        return []
    rows = (
        Member.objects.filter(region=region, status=MemberStatus.ACTIVE)
        .values_list("sector__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "sector__name")
    )
    items, rest = [], 0
    for name, n in rows:
        if n >= minimum and name:
            items.append((name, n))
        else:
            rest += n
    if rest:
        items.append((_("Overige en onbekende sectoren"), rest))
    return [[label, value] for label, value in breakdown(items, total=active)]


def region_panel(region, *, since, until) -> dict:
    figures = Member.objects.filter(region=region).aggregate(
        active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)),
        joined=Count("pk", filter=Q(member_since__gte=since, member_since__lte=until)),
        ended=Count("pk", filter=Q(ended_on__gte=since, ended_on__lte=until)),
    )
    return {
        "title": _("Leden"),
        "figures": [
            [_("Actieve leden"), shown(figures["active"])],
            *_sector_rows(region, figures["active"]),
            [_("Lid geworden in de periode"), shown(figures["joined"])],
            [_("Lidmaatschap beëindigd in de periode"), shown(figures["ended"])],
        ],
    }
