"""Reads of the regioplannen: who writes and who reviews a region's plan."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from core.roles import Role
from members.models import User


def is_region_official(user: User | AnonymousUser, region_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.REGIONAL_OFFICIAL
        and user.regions.filter(pk=region_id).exists()
    )


def is_region_coordinator(user: User | AnonymousUser, region_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.COORDINATOR
        and user.regions.filter(pk=region_id).exists()
    )


def region_officials(region_id: int) -> QuerySet[User]:
    return User.objects.filter(
        role=Role.REGIONAL_OFFICIAL, is_active=True, regions=region_id
    ).order_by("email")


def region_coordinators(region_id: int) -> QuerySet[User]:
    return User.objects.filter(role=Role.COORDINATOR, is_active=True, regions=region_id).order_by(
        "email"
    )
