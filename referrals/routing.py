"""Who receives a referral: the role that handles its kind, in its region or sector, or the
region's coordinator when there is nobody (nothing is dropped)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.roles import Role
from members.models import Sector, User
from referrals.models import Kind, Receiver, Referral
from regions.models import Region


def _staff() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def route(*, kind: str, region: Region | None, sector: Sector | None) -> tuple[str, str]:
    """(receiver, why it fell back to the coordinator or "")."""
    staff = _staff()
    if kind == Kind.LEGAL:
        if staff.filter(role=Role.LEGAL).exists():
            return Receiver.LEGAL, ""
        reason = _("Er is geen juridisch medewerker in het portaal.")
    elif kind == Kind.REINTEGRATION:
        if region is not None and staff.filter(role=Role.ADVISER, regions=region).exists():
            return Receiver.ADVISER, ""
        reason = _("Er is geen trajectadviseur in de regio.")
    elif kind == Kind.SECTOR_OFFICIAL:
        if sector is None:
            reason = _("De sector is niet bekend.")
        elif staff.filter(role=Role.SECTOR_OFFICIAL, sectors=sector).exists():
            return Receiver.SECTOR_OFFICIAL, ""
        else:
            reason = _("Er is geen sectorbestuurder voor deze sector.")
    else:  # a workshop or Loopbaan FNV: the coordinator organises them
        reason = ""
    if region is None:
        return Receiver.COORDINATOR, _("De regio is niet bekend.")
    if not staff.filter(role=Role.COORDINATOR, regions=region).exists():
        return Receiver.COORDINATOR, _("Er is geen regiocoördinator in de regio.")
    return Receiver.COORDINATOR, reason


def receivers(referral: Referral) -> list[User]:
    """The people a referral waits for; the admins when no receiver can see it."""
    staff = _staff()
    if referral.routed_to == Receiver.LEGAL:
        people = staff.filter(role=Role.LEGAL)
    elif referral.routed_to == Receiver.SECTOR_OFFICIAL and referral.sector_id is not None:
        people = staff.filter(role=Role.SECTOR_OFFICIAL, sectors=referral.sector_id)
    elif referral.routed_to == Receiver.SECTOR_OFFICIAL or referral.region_id is None:
        people = staff.none()
    else:
        people = staff.filter(role=referral.routed_to, regions=referral.region_id)
    found = list(people.order_by("pk"))
    return found or list(staff.filter(role=Role.ADMIN).order_by("pk"))
