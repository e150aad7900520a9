"""Builders for trajectories tests: they go through the services, as the portal does."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.roles import Role
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from trajectories import services
from trajectories.models import (
    CollectiveCase,
    CollectiveCaseKind,
    IntakeRequest,
    IntakeSource,
    Trajectory,
    TrajectoryKind,
    TrajectoryReason,
    Workshop,
    WorkshopMode,
    WorkshopSession,
)

_counter = iter(range(10_000_000, 99_000_000))


def intake(*, region, member=None) -> IntakeRequest:
    member = member or MemberFactory(region=region)
    return IntakeRequest.objects.create(
        region=region, member=member, source=IntakeSource.APPOINTMENT, source_id=next(_counter)
    )


def trajectory(*, adviser, member=None, region=None, collective_case=None) -> Trajectory:
    region = region or adviser.regions.first()
    request = intake(region=region, member=member)
    return services.intake_take(
        adviser=adviser,
        intake_request=request,
        kind=TrajectoryKind.CAREER,
        reason=TrajectoryReason.DISMISSED,
        agreed_end_on=timezone.localdate() + datetime.timedelta(weeks=26),
        collective_case=collective_case,
    )


def active_trajectory(*, adviser, member=None, **kwargs) -> Trajectory:
    t = trajectory(adviser=adviser, member=member, **kwargs)
    services.goal_add(by=adviser, plan=t.plan, description="Cv bijwerken", due_on=None)
    services.plan_agree(by=adviser, plan=t.plan)
    t.refresh_from_db()
    return t


def adviser(region, email=None):
    user = UserFactory(role=Role.ADVISER, **({"email": email} if email else {}))
    user.regions.add(region)
    return user


def collective_case(*, region, name="Faillissement Test B.V.") -> CollectiveCase:
    return CollectiveCase.objects.create(
        name=name,
        kind=CollectiveCaseKind.BANKRUPTCY,
        employer=EmployerFactory(),
        region=region,
    )


def session(
    *, capacity=2, starts_in=datetime.timedelta(days=7), union_house=None
) -> WorkshopSession:
    workshop, _ = Workshop.objects.get_or_create(
        title="Solliciteren met LinkedIn", defaults={"mode": WorkshopMode.ONLINE}
    )
    starts = timezone.now() + starts_in
    return WorkshopSession.objects.create(
        workshop=workshop,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=capacity,
        union_house=union_house,
        place="" if union_house else "Online",
    )
