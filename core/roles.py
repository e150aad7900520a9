"""The roles of the portal's users (one per account) and which of them are staff."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Lid")
    CONSULTANT = "consultant", _("Consulent (kaderlid)")
    ADVISER = "adviser", _("Trajectadviseur")
    REGIONAL_OFFICIAL = "regional_official", _("Regiobestuurder")
    COORDINATOR = "coordinator", _("Regiocoördinator")
    SECTOR_OFFICIAL = "sector_official", _("Sectorbestuurder")
    LEGAL = "legal", _("Juridisch medewerker")
    ADMIN = "admin", _("Beheerder")


# Every role but "member" is staff of the union (volunteers included) and must use 2FA.
STAFF_ROLES = frozenset(Role.values) - {Role.MEMBER}


def acting_as(user: object, *roles: str) -> bool:
    """Whether `user` is a logged-in, active account, with one of `roles` when any are named.
    Every `visible_to(user)` starts here, so an anonymous visitor or a deactivated account
    sees nothing, whatever its role."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and (not roles or getattr(user, "role", None) in roles)
    )
