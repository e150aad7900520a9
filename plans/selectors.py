"""Reads of the regioplannen: who writes and who reviews a region's plan."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from core.roles import Role
from members.models import User
from plans.conf import plans_setting
from plans.models import PlanStatus, RegionPlan
from regions.models import Region

# A plan is late when its deadline has passed and it is still with its authors.
LATE_STATUSES = (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED)


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


def overdue_plans(today: dt.date) -> QuerySet[RegionPlan]:
    """Plans past their deadline that have not been submitted (or resubmitted) yet."""
    return RegionPlan.objects.filter(status__in=LATE_STATUSES, deadline__lt=today)


def start_by(year: int) -> dt.date:
    """The day in `year` by which every region should have started next year's plan."""
    month, day = plans_setting("START_BY")
    return dt.date(year, month, day)


def regions_not_started(today: dt.date) -> QuerySet[Region]:
    """Regions without a plan for next year, once the day to have started it has passed."""
    if today < start_by(today.year):
        return Region.objects.none()
    started = RegionPlan.objects.filter(year=today.year + 1).values("region_id")
    return Region.objects.exclude(pk__in=started).order_by("code")
