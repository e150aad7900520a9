"""Figures the regioplan adds to the data panel itself, where no app provides them yet.

The issue asks for members per sector; `members/panel.py` is still a stub, so the plan fills
the "members" block when that app returns nothing. Aggregates only: a sector with fewer active
members than the minimum group size is not shown on its own but counted with the other small
sectors, and that remainder too is hidden when it is below the minimum.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus


def members_per_sector(region) -> dict:
    minimum = settings.FNV["MIN_GROUP_SIZE"]
    below = _("minder dan %(n)s") % {"n": minimum}
    rows = (
        Member.objects.filter(region=region, status=MemberStatus.ACTIVE)
        .values_list("sector__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "sector__name")
    )
    total = sum(n for _name, n in rows)
    if total == 0:
        return {}
    figures: list[list] = [[_("Actieve leden"), total if total >= minimum else below]]
    if total < minimum:
        return {"title": _("Leden per sector"), "figures": figures}
    rest = 0
    for name, n in rows:
        if n >= minimum and name:
            figures.append([name, n])
        else:
            rest += n
    if rest:
        figures.append([_("Overige en onbekende sectoren"), rest if rest >= minimum else below])
    return {"title": _("Leden per sector"), "figures": figures}
