"""Tiles this app adds to a role's home page (collected by fnvregio.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role
from plans.models import RegionPlan


def tiles(user) -> list[Tile]:
    if user.role == Role.REGIONAL_OFFICIAL:
        to_do = RegionPlan.objects.needing_work_by(user).count()
        return [
            Tile(
                _("Regioplannen"),
                _("Het regioplan van je regio schrijven, indienen en bijwerken"),
                reverse("plans:overview"),
                badge=_("%(count)s te doen") % {"count": to_do} if to_do else "",
            )
        ]
    if user.role == Role.COORDINATOR:
        waiting = RegionPlan.objects.awaiting_review_by(user).count()
        return [
            Tile(
                _("Te beoordelen regioplannen"),
                _("Regioplannen die op jouw beoordeling wachten"),
                reverse("plans:awaiting"),
                badge=_("%(count)s wachtend") % {"count": waiting} if waiting else "",
            ),
            Tile(
                _("Overzicht regioplannen"),
                _("De status van het regioplan in alle 35 regio's"),
                reverse("plans:overview"),
            ),
        ]
    if user.role == Role.ADMIN:
        return [
            Tile(
                _("Overzicht regioplannen"),
                _("De status van het regioplan in alle 35 regio's"),
                reverse("plans:overview"),
            )
        ]
    return []
