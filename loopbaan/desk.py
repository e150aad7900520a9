"""Booking on a member's behalf (the union-house desk, #13 item 6): who may, for whom.

Many members phone the union house. A consultant, a coordinator or an admin finds one member
by an exact key (member number; birth date and postcode; postcode and house number), never by
browsing, and only among the members of their own regions:

- a consultant: the regions of the union houses they serve (and any region on their account),
- a coordinator: the regions on their account,
- an admin: every region.

Every other role finds nobody. A search that matches more than `MAX_RESULTS` members shows
none of them: the caller is asked for the member number instead.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from core.roles import Role, acting_as
from members.models import Member, User
from regions.models import Region

DESK_ROLES = (Role.CONSULTANT, Role.COORDINATOR, Role.ADMIN)
MAX_RESULTS = 5


def desk_regions(user: User) -> QuerySet[Region]:
    """The regions whose members this user may book for."""
    if not acting_as(user) or user.role not in DESK_ROLES:
        return Region.objects.none()
    if user.role == Role.ADMIN:
        return Region.objects.all()
    scope = Q(pk__in=user.regions.values("pk"))
    if user.role == Role.CONSULTANT:
        scope |= Q(pk__in=user.union_houses.values("region_id"))
    return Region.objects.filter(scope)


def desk_members(user: User) -> QuerySet[Member]:
    """Members this user may book for: in their regions, not erased."""
    if not acting_as(user) or user.role not in DESK_ROLES:
        return Member.objects.none()
    members = Member.objects.filter(erased_at__isnull=True)
    if user.role == Role.ADMIN:
        return members
    return members.filter(region__in=desk_regions(user))


def find_members(
    user: User,
    *,
    member_number: str = "",
    birth_date: date | None = None,
    postcode: str = "",
    house_number: str = "",
) -> tuple[list[Member], bool]:
    """Members matching one exact key, within the user's regions.

    Returns (members, too_many). With more than MAX_RESULTS matches the list is empty and
    too_many is True. Without a complete key nothing is searched.
    """
    scope = desk_members(user)
    if member_number:
        found = scope.filter(member_number=member_number.strip())
    elif birth_date and postcode:
        found = scope.filter(birth_date=birth_date, postcode=postcode)
    elif postcode and house_number:
        found = scope.filter(postcode=postcode, house_number__iexact=house_number.strip())
    else:
        return [], False
    rows = list(
        found.select_related("region").order_by("last_name", "member_number")[: MAX_RESULTS + 1]
    )
    if len(rows) > MAX_RESULTS:
        return [], True
    return rows, False
