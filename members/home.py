"""Tiles this app adds to a role's home page (collected by fnvregio.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role
from members.models import ImportStatus, MemberImport


def tiles(user) -> list[Tile]:
    result = []
    if user.role == Role.ADMIN:
        result.append(
            Tile(
                _("Beheer"),
                _("Gebruikers, vakbondshuizen, sectoren en werkgevers"),
                reverse("admin:index"),
            )
        )
        waiting = MemberImport.objects.filter(status=ImportStatus.PREVIEWED).count()
        result.append(
            Tile(
                _("Leden importeren"),
                _("Bestand van de ledenadministratie controleren en verwerken"),
                reverse("members:import_list"),
                badge=_("%(count)s wacht op bevestiging") % {"count": waiting} if waiting else "",
            )
        )
        result.append(
            Tile(_("Leden exporteren"), _("Alle leden als CSV"), reverse("members:export"))
        )
    elif user.role == Role.MEMBER and getattr(user, "member", None) is not None:
        result.append(
            Tile(
                _("Mijn gegevens"),
                _("Bekijken, correctie vragen, alles downloaden"),
                reverse("members:my_data"),
            )
        )
    return result
