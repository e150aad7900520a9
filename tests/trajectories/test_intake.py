"""Referrals and direct requests land in the intake queue; one adviser takes each on."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from members.events import trajectory_referral_made
from tests.conftest import Cast, ensure_reference_data
from tests.factories import MemberFactory
from tests.trajectories import factories as f
from trajectories import services
from trajectories.models import (
    AdviserAssignment,
    IntakeRequest,
    IntakeSource,
    IntakeStatus,
    Trajectory,
    TrajectoryStatus,
)


def test_a_referral_event_puts_the_member_in_the_queue_of_their_region(cast):
    trajectory_referral_made.send(
        sender=None, member=cast.member, region=None, source="appointment", source_id=41, note=""
    )
    request = IntakeRequest.objects.get()
    assert request.member == cast.member
    assert request.region == cast.region
    assert request.source == IntakeSource.APPOINTMENT
    assert request.status == IntakeStatus.OPEN
    assert AuditEntry.objects.filter(object_type="trajectories.intakerequest").exists()


def test_a_referral_delivered_twice_lands_in_the_queue_once(cast):
    for _ in range(2):
        trajectory_referral_made.send(
            sender=None, member=cast.member, region=cast.region, source="appointment", source_id=7
        )
    assert IntakeRequest.objects.count() == 1


def test_a_referral_names_its_region_when_given(cast):
    trajectory_referral_made.send(
        sender=None, member=cast.member, region=cast.other_region, source="appointment", source_id=8
    )
    assert IntakeRequest.objects.get().region == cast.other_region


def test_an_adviser_sees_only_the_queue_of_their_regions(cast):
    own = f.intake(region=cast.region)
    foreign = f.intake(region=cast.other_region)
    visible = set(IntakeRequest.objects.visible_to(cast.adviser))
    assert own in visible and foreign not in visible
    assert not IntakeRequest.objects.visible_to(cast.coordinator).exists()
    assert not IntakeRequest.objects.visible_to(cast.member_user).exists()


def test_taking_a_request_makes_a_trajectory_in_intake_with_plan_and_assignment(cast):
    request = f.intake(region=cast.region, member=cast.member)
    trajectory = services.intake_take(
        adviser=cast.adviser, intake_request=request, kind="career", reason="dismissed"
    )
    request.refresh_from_db()
    assert request.status == IntakeStatus.TAKEN and request.taken_by == cast.adviser
    assert trajectory.status == TrajectoryStatus.INTAKE
    assert trajectory.member == cast.member and trajectory.region == cast.region
    assert trajectory.plan is not None
    assert AdviserAssignment.objects.get(trajectory=trajectory).adviser == cast.adviser


def test_a_request_taken_already_is_refused_to_the_second_adviser(cast):
    second = f.adviser(cast.region)
    request = f.intake(region=cast.region)
    services.intake_take(
        adviser=cast.adviser, intake_request=request, kind="career", reason="other"
    )
    stale = IntakeRequest.objects.get(pk=request.pk)
    stale.status = IntakeStatus.OPEN  # as the second adviser's page still showed it
    with pytest.raises(ValidationError, match="al door een andere adviseur"):
        services.intake_take(adviser=second, intake_request=stale, kind="career", reason="other")
    assert Trajectory.objects.count() == 1


def test_an_adviser_cannot_take_a_request_from_another_region(cast):
    request = f.intake(region=cast.other_region)
    with pytest.raises(ValidationError):
        services.intake_take(
            adviser=cast.adviser, intake_request=request, kind="career", reason="other"
        )
    request.refresh_from_db()
    assert request.status == IntakeStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_two_advisers_taking_one_request_at_once_make_one_trajectory():
    ensure_reference_data()
    cast = Cast()
    advisers = [cast.adviser, f.adviser(cast.region), f.adviser(cast.region)]
    request = f.intake(region=cast.region)
    barrier = threading.Barrier(len(advisers))
    outcomes: list[str] = []

    def take(adviser) -> None:
        try:
            copy = IntakeRequest.objects.get(pk=request.pk)
            barrier.wait()
            services.intake_take(
                adviser=adviser, intake_request=copy, kind="career", reason="other"
            )
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(a,)) for a in advisers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "refused", "won"]
    assert Trajectory.objects.count() == 1
    assert AdviserAssignment.objects.count() == 1


def test_a_direct_request_for_a_non_member_records_consent(cast):
    participant = services.participant_create(
        by=cast.adviser,
        region=cast.region,
        first_name="Kees",
        last_name="Jansen",
        external_reference="RMT-2026-0042",
        consent_at=timezone.now(),
        consent_source="mobility_team",
    )
    request = services.intake_request_create_direct(
        by=cast.adviser, region=cast.region, participant=participant
    )
    assert request.source == IntakeSource.DIRECT
    trajectory = services.intake_take(
        adviser=cast.adviser, intake_request=request, kind="job_to_job", reason="reorganisation"
    )
    assert trajectory.participant == participant and trajectory.member is None
    assert trajectory.person_name == "Kees Jansen"


def test_a_direct_request_is_refused_outside_the_advisers_regions(cast):
    member = MemberFactory(region=cast.other_region)
    with pytest.raises(ValidationError):
        services.intake_request_create_direct(
            by=cast.adviser, region=cast.other_region, member=member
        )


def test_a_withdrawn_request_leaves_the_queue_and_cannot_be_taken(client, cast):
    from django.urls import reverse

    from tests.conftest import login

    request = f.intake(region=cast.region)
    foreign = f.intake(region=cast.other_region)
    login(client, cast.adviser)
    client.post(reverse("trajectories:intake_withdraw", kwargs={"pk": request.pk}))
    response = client.post(reverse("trajectories:intake_withdraw", kwargs={"pk": foreign.pk}))
    assert response.status_code == 404
    request.refresh_from_db()
    foreign.refresh_from_db()
    assert request.status == IntakeStatus.WITHDRAWN and foreign.status == IntakeStatus.OPEN
    with pytest.raises(ValidationError):
        services.intake_take(
            adviser=cast.adviser, intake_request=request, kind="career", reason="other"
        )
