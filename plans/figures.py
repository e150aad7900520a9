"""Figures the regioplan adds to the data panel itself, where no app provides them yet.

The issue asks for members per sector; `members/panel.py` is still a stub, so the plan fills
the "members" block when that app returns nothing. Aggregates only: a sector with fewer active
members than the minimum group size is not shown on its own but counted with the other small
sectors; that remainder is hidden when it is below the minimum, and so is the smallest sector
with it, so the total minus the shown sectors does not give it back (fnvregio.figures).
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from core.figures import breakdown, min_group_size, shown
from members.models import Member, MemberStatus


def members_per_sector(region) -> dict:
    rows = (
        Member.objects.filter(region=region, status=MemberStatus.ACTIVE)
        .values_list("sector__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "sector__name")
    )
    minimum = min_group_size()
    total = sum(n for _name, n in rows)
    if total == 0:
        return {}
    figures: list[list] = [[_("Actieve leden"), shown(total)]]
    if total < minimum:
        return {"title": _("Leden per sector"), "figures": figures}
    items, rest = [], 0
    for name, n in rows:
        if n >= minimum and name:
            items.append((name, n))
        else:
            rest += n
    if rest:
        items.append((_("Overige en onbekende sectoren"), rest))
    # A split of the total: the small remainder is hidden, and so is the smallest sector, or
    # the total minus the sectors shown would give it back.
    figures += [[label, value] for label, value in breakdown(items, total=total)]
    return {"title": _("Leden per sector"), "figures": figures}
