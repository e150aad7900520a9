"""Tiles this app adds to a role's home page (collected by core.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role
from referrals.models import Referral, Status

RECEIVING_ROLES = (Role.LEGAL, Role.ADVISER, Role.SECTOR_OFFICIAL, Role.COORDINATOR)


def tiles(user) -> list[Tile]:
    result: list[Tile] = []
    if user.role in RECEIVING_ROLES:
        waiting = Referral.objects.visible_to(user).filter(status=Status.NEW).count()
        result.append(
            Tile(
                _("Doorverwijzingen"),
                _("Doorverwijzingen uit de spreekuren die op jou wachten: oppakken en afronden."),
                reverse("referrals:inbox"),
                badge=str(waiting) if waiting else "",
            )
        )
    if user.role == Role.CONSULTANT:
        result.append(
            Tile(
                _("Mijn doorverwijzingen"),
                _("Wie je doorverwijzingen heeft opgepakt, en met welke uitkomst."),
                reverse("referrals:mine"),
            )
        )
    if user.role == Role.ADMIN:
        referrals = Referral.objects.all()
        fallen_back = referrals.fallen_back().count()
        overdue = referrals.overdue(timezone.now()).count()
        result.append(
            Tile(
                _("Doorverwijzingen"),
                _(
                    "%(fallen)s zonder eigen ontvanger (bij de coördinator), "
                    "%(overdue)s niet op tijd opgepakt."
                )
                % {"fallen": fallen_back, "overdue": overdue},
                reverse("referrals:inbox"),
                badge=str(fallen_back + overdue) if fallen_back + overdue else "",
            )
        )
    return result
