"""Tiles this app adds to a role's home page (collected by core.registry.home_tiles).

A member books in three clicks: a place tile here (online or the nearest union houses), a
time on the next page, then "Afspraak bevestigen".
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role
from loopbaan.models import Appointment
from loopbaan.slots import union_houses_nearest_first
from members.models import MemberStatus

NEAREST_ON_HOME = 2


def tiles(user) -> list[Tile]:
    if user.role == Role.MEMBER:
        member = getattr(user, "member", None)
        if member is None:
            return []
        result = []
        if member.status == MemberStatus.ACTIVE:
            result.append(
                Tile(
                    _("Loopbaanafspraak online"),
                    _("Een uur met twee consulenten, via video."),
                    reverse("loopbaan:book_slots", kwargs={"place": "online"}),
                )
            )
            for place in union_houses_nearest_first(member)[:NEAREST_ON_HOME]:
                result.append(
                    Tile(
                        _("Loopbaanafspraak in %(place)s") % {"place": place.label},
                        _("Een uur met twee consulenten in het vakbondshuis."),
                        reverse("loopbaan:book_slots", kwargs={"place": place.key}),
                        badge=_("ca. %(km)s km") % {"km": place.distance_km}
                        if place.distance_km is not None
                        else "",
                    )
                )
            result.append(
                Tile(
                    _("Andere plek kiezen"),
                    _("Alle vakbondshuizen met loopbaanspreekuren."),
                    reverse("loopbaan:book_place"),
                )
            )
        upcoming = Appointment.objects.visible_to(user).upcoming().count()
        result.append(
            Tile(
                _("Mijn loopbaanafspraken"),
                _("Bekijken, verzetten of annuleren."),
                reverse("loopbaan:mine"),
                badge=str(upcoming) if upcoming else "",
            )
        )
        return result
    if user.role == Role.CONSULTANT:
        today = (
            Appointment.objects.visible_to(user)
            .open()
            .filter(starts_at__date=timezone.localdate())
            .count()
        )
        return [
            Tile(
                _("Mijn agenda"),
                _("Je loopbaanafspraken van vandaag en deze week."),
                reverse("loopbaan:agenda"),
                badge=str(today) if today else "",
            ),
            Tile(
                _("Mijn beschikbaarheid"),
                _("Uren per week, losse uren, vrije dagen en je maximum."),
                reverse("loopbaan:availability"),
            ),
            _desk_tile(),
        ]
    if user.role == Role.COORDINATOR:
        return [
            Tile(
                _("Bezetting loopbaanspreekuren"),
                _("Aantallen per vakbondshuis in je regio's."),
                reverse("loopbaan:occupancy"),
            ),
            _desk_tile(),
        ]
    if user.role == Role.ADMIN:
        return [_desk_tile()]
    return []


def _desk_tile() -> Tile:
    return Tile(
        _("Afspraak voor een lid dat belt"),
        _("Lid opzoeken, loopbaanafspraak maken, verzetten of annuleren; brief afdrukken."),
        reverse("loopbaan:desk_find"),
    )
