"""Who hears of a signal: the sector officials of its sector, the coordinators of its region,
and, when nobody is responsible, the admins. A signal is never dropped."""

from __future__ import annotations

from core.roles import Role
from members.models import User
from signals.models import Signal


def _responsible(sector_id: int | None, region_id: int | None) -> list[User]:
    if sector_id is not None:
        return list(
            User.objects.filter(role=Role.SECTOR_OFFICIAL, is_active=True, sectors=sector_id)
        )
    if region_id is not None:
        return list(User.objects.filter(role=Role.COORDINATOR, is_active=True, regions=region_id))
    return []


def recipients_for(signal: Signal) -> tuple[list[User], bool]:
    """(users, is_fallback). Employer and sector signals go by sector, regional rises by region."""
    users = _responsible(signal.sector_id, signal.region_id)
    if users:
        return users, False
    return list(User.objects.filter(role=Role.ADMIN, is_active=True)), True
