"""The workflow: every legal and every illegal transition, who may do what, no self-approval."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from core.roles import Role
from plans import services
from plans.models import TRANSITIONS, PlanAction, PlanStatus, PlanVersion, RegionPlan
from tests.factories import UserFactory
from tests.plans.helpers import make_plan, make_version

ACTOR = {
    PlanAction.SUBMIT: "regional_official",
    PlanAction.RESUBMIT: "regional_official",
    PlanAction.START_REVIEW: "coordinator",
    PlanAction.REQUEST_CHANGES: "coordinator",
    PlanAction.APPROVE: "coordinator",
}
LEGAL = [
    (action, source, target)
    for action, (sources, target, _who) in TRANSITIONS.items()
    for source in sorted(sources)
]
ILLEGAL = [
    (action, source)
    for action, (sources, _target, _who) in TRANSITIONS.items()
    for source in PlanStatus.values
    if source not in sources
]


def test_the_transition_table_is_the_documented_workflow():
    assert sorted((a.value, s, t) for a, s, t in LEGAL) == sorted(
        [
            ("submit", "draft", "submitted"),
            ("start_review", "submitted", "in_review"),
            ("start_review", "resubmitted", "in_review"),
            ("request_changes", "in_review", "changes_requested"),
            ("resubmit", "changes_requested", "resubmitted"),
            ("approve", "in_review", "approved"),
        ]
    )
    assert len(ILLEGAL) == 5 * 6 - len(LEGAL)


@pytest.mark.parametrize(("action", "source", "target"), LEGAL, ids=lambda v: str(v))
def test_it_allows_each_legal_transition(cast, action, source, target):
    plan = make_plan(cast.region, status=source)
    user = getattr(cast, ACTOR[action])
    result = services.plan_transition(user=user, plan=plan, action=action)
    plan.refresh_from_db()
    assert result.status == plan.status == target


@pytest.mark.parametrize(("action", "source"), ILLEGAL, ids=lambda v: str(v))
def test_it_refuses_each_illegal_transition_with_a_dutch_message(cast, action, source):
    plan = make_plan(cast.region, status=source)
    user = getattr(cast, ACTOR[action])
    with pytest.raises(ValidationError) as error:
        services.plan_transition(user=user, plan=plan, action=action)
    plan.refresh_from_db()
    assert plan.status == source
    assert "Dit kan niet" in error.value.messages[0]
    assert str(PlanStatus(source).label) in error.value.messages[0]
    assert not PlanVersion.objects.filter(plan=plan).exists()


def test_the_model_method_refuses_an_illegal_transition_too(cast):
    plan = make_plan(cast.region, status=PlanStatus.DRAFT)
    with pytest.raises(ValidationError):
        plan.approve()
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_it_refuses_an_unknown_action(cast):
    plan = make_plan(cast.region)
    with pytest.raises(ValidationError):
        services.plan_transition(user=cast.regional_official, plan=plan, action="publish")


@pytest.mark.parametrize("action", [PlanAction.SUBMIT])
@pytest.mark.parametrize("who", ["coordinator", "adviser", "member_user", "other_coordinator"])
def test_only_a_regional_official_of_the_region_submits(cast, action, who):
    plan = make_plan(cast.region)
    with pytest.raises(ValidationError):
        services.plan_transition(user=getattr(cast, who), plan=plan, action=action)
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_a_regional_official_of_another_region_cannot_submit(cast):
    stranger = UserFactory(role=Role.REGIONAL_OFFICIAL)
    stranger.regions.add(cast.other_region)
    plan = make_plan(cast.region)
    with pytest.raises(ValidationError, match="regiobestuurder van Midden-Utrecht"):
        services.plan_transition(user=stranger, plan=plan, action=PlanAction.SUBMIT)


@pytest.mark.parametrize("who", ["regional_official", "other_coordinator", "admin"])
def test_only_a_coordinator_of_the_region_approves(cast, who):
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.plan_transition(user=getattr(cast, who), plan=plan, action=PlanAction.APPROVE)
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.IN_REVIEW


def test_nobody_approves_a_plan_they_wrote_even_after_changing_role(cast):
    plan = make_plan(cast.region)
    services.plan_save_sections(
        user=cast.regional_official, plan=plan, sections={"context": "Eigen tekst"}
    )
    services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.SUBMIT)
    services.plan_transition(user=cast.coordinator, plan=plan, action=PlanAction.START_REVIEW)
    # The author becomes a coordinator of the same region.
    cast.regional_official.role = Role.COORDINATOR
    cast.regional_official.save(update_fields=["role"])
    with pytest.raises(ValidationError, match="niet zelf goedkeuren"):
        services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.APPROVE)
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.IN_REVIEW
    services.plan_transition(user=cast.coordinator, plan=plan, action=PlanAction.APPROVE)
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_whoever_submitted_a_version_counts_as_author(cast):
    """A submitter who typed nothing still put their name under the plan."""
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    make_version(plan, submitted_by=cast.coordinator)
    with pytest.raises(ValidationError, match="niet zelf goedkeuren"):
        services.plan_transition(user=cast.coordinator, plan=plan, action=PlanAction.APPROVE)
    with pytest.raises(ValidationError, match="andere coördinator"):
        services.plan_transition(
            user=cast.coordinator, plan=plan, action=PlanAction.REQUEST_CHANGES
        )


def test_an_author_who_becomes_coordinator_does_not_see_the_plan_as_awaiting_review(cast):
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    plan.authors.add(cast.coordinator)
    assert not RegionPlan.objects.awaiting_review_by(cast.coordinator).exists()
    other = UserFactory(role=Role.COORDINATOR)
    other.regions.add(cast.region)
    assert list(RegionPlan.objects.awaiting_review_by(other)) == [plan]


def test_an_empty_plan_cannot_be_submitted(cast):
    plan = make_plan(cast.region, sections={})
    with pytest.raises(ValidationError, match="nog leeg"):
        services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.SUBMIT)


def test_the_whole_cycle_keeps_every_submission_and_mails_the_other_side(
    cast, django_capture_on_commit_callbacks
):
    plan = make_plan(cast.region)
    steps = [
        (cast.regional_official, PlanAction.SUBMIT, [cast.coordinator.email]),
        (cast.coordinator, PlanAction.START_REVIEW, []),
        (cast.coordinator, PlanAction.REQUEST_CHANGES, [cast.regional_official.email]),
        (cast.regional_official, PlanAction.RESUBMIT, [cast.coordinator.email]),
        (cast.coordinator, PlanAction.START_REVIEW, []),
        (cast.coordinator, PlanAction.APPROVE, [cast.regional_official.email]),
    ]
    for user, action, recipients in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_transition(user=user, plan=plan, action=action)
        assert [message.to for message in mail.outbox] == ([recipients] if recipients else [])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.reviewer == cast.coordinator
    assert list(plan.versions.values_list("number", "submitted_by")) == [
        (1, cast.regional_official.pk),
        (2, cast.regional_official.pk),
    ]
    assert cast.regional_official in plan.authors.all()


def test_edits_are_refused_once_submitted(cast):
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="kan nu niet worden gewijzigd"):
        services.plan_save_sections(
            user=cast.regional_official, plan=plan, sections={"context": "Later"}
        )
    assert RegionPlan.objects.get(pk=plan.pk).sections["context"].startswith("Krapte")


def test_a_stale_instance_loses_the_compare_and_swap(cast):
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    stale = RegionPlan.objects.get(pk=plan.pk)
    plan.approve()
    with pytest.raises(ValidationError, match="net gewijzigd"):
        stale.request_changes()
    assert RegionPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_at_once_one_wins():
    from tests.conftest import Cast, ensure_reference_data

    ensure_reference_data()
    cast = Cast()
    second = UserFactory(role=Role.COORDINATOR)
    second.regions.add(cast.region)
    plan = make_plan(cast.region, status=PlanStatus.IN_REVIEW)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user, action):
        try:
            barrier.wait()
            services.plan_transition(user=user, plan=plan, action=action)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(cast.coordinator, PlanAction.APPROVE)),
        threading.Thread(target=decide, args=(second, PlanAction.REQUEST_CHANGES)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert RegionPlan.objects.get(pk=plan.pk).status in {
        PlanStatus.APPROVED,
        PlanStatus.CHANGES_REQUESTED,
    }
