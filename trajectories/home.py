"""Tiles this app adds to a role's home page (collected by fnvregio.registry.home_tiles).

A participant reaches their plan in one click (the "Mijn traject" tile) and enrols in a
workshop in two (the "Mijn workshops" tile, then the button).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role
from trajectories.models import IntakeRequest, Trajectory


def tiles(user) -> list[Tile]:
    if user.role == Role.ADVISER:
        waiting = IntakeRequest.objects.visible_to(user).open().count()
        running = Trajectory.objects.visible_to(user).running().count()
        return [
            Tile(
                _("Intakewachtrij"),
                _("Aanvragen uit je regio's die op een adviseur wachten."),
                reverse("trajectories:intake_queue"),
                badge=_("%(count)s wachtend") % {"count": waiting} if waiting else "",
            ),
            Tile(
                _("Mijn trajecten"),
                _("Plannen van aanpak, evaluaties, notities en workshops."),
                reverse("trajectories:my_trajectories"),
                badge=_("%(count)s lopend") % {"count": running} if running else "",
            ),
            Tile(
                _("Collectieve zaken"),
                _("Faillissementen en reorganisaties: wat werd er van de groep?"),
                reverse("trajectories:case_list"),
            ),
        ]
    if user.role == Role.COORDINATOR:
        return [
            Tile(
                _("Uitkomsten van trajecten"),
                _("Aantallen per regio, collectieve zaak en adviseur."),
                reverse("trajectories:outcomes"),
            ),
            Tile(
                _("Trajecten overdragen"),
                _("Een traject aan een andere trajectadviseur geven."),
                reverse("trajectories:coordinator_trajectories"),
            ),
        ]
    if user.role == Role.MEMBER and Trajectory.objects.visible_to(user).exists():
        return [
            Tile(
                _("Mijn traject"),
                _("Je plan van aanpak, doelen, evaluaties en de samenvatting van je adviseur."),
                reverse("trajectories:my_trajectory"),
            ),
            Tile(
                _("Mijn workshops"),
                _("Gratis workshops en trainingen: inschrijven en afmelden."),
                reverse("trajectories:my_workshops"),
            ),
        ]
    return []
