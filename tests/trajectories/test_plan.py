"""Plans of action: goals, the agreement, a version for every change after it, reviews."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.trajectories import factories as f
from trajectories import services
from trajectories.models import GoalStatus, PlanReview, PlanVersion, TrajectoryStatus


def test_changes_before_the_agreement_make_no_versions(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    services.goal_add(
        by=cast.adviser, plan=trajectory.plan, description="Cv bijwerken", due_on=None
    )
    assert not PlanVersion.objects.exists()


def test_agreeing_keeps_version_one_activates_and_plans_the_first_review(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    services.goal_add(
        by=cast.adviser, plan=trajectory.plan, description="Cv bijwerken", due_on=None
    )
    version = services.plan_agree(by=cast.adviser, plan=trajectory.plan)
    trajectory.refresh_from_db()
    assert version.number == 1
    assert version.snapshot["goals"][0]["description"] == "Cv bijwerken"
    assert trajectory.status == TrajectoryStatus.ACTIVE
    review = PlanReview.objects.get(trajectory=trajectory)
    assert review.due_on == timezone.localdate() + datetime.timedelta(weeks=4)


def test_every_change_after_the_agreement_is_kept_as_a_version(cast):
    trajectory = f.active_trajectory(adviser=cast.adviser)
    goal = trajectory.plan.goals.get()
    services.goal_update(by=cast.adviser, goal=goal, status=GoalStatus.IN_PROGRESS)
    services.goal_add(
        by=cast.adviser, plan=trajectory.plan, description="Netwerkgesprek", due_on=None
    )
    services.goal_update(by=cast.adviser, goal=goal, status=GoalStatus.ACHIEVED)
    versions = list(PlanVersion.objects.filter(plan=trajectory.plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4]
    assert versions[0].snapshot["goals"][0]["status"] == "open"
    assert versions[1].snapshot["goals"][0]["status"] == "in_progress"
    assert len(versions[2].snapshot["goals"]) == 2
    assert versions[3].snapshot["goals"][0]["status"] == "achieved"


def test_an_unchanged_goal_makes_no_version(cast):
    trajectory = f.active_trajectory(adviser=cast.adviser)
    goal = trajectory.plan.goals.get()
    services.goal_update(by=cast.adviser, goal=goal, status=goal.status)
    assert PlanVersion.objects.filter(plan=trajectory.plan).count() == 1


def test_a_plan_without_goals_cannot_be_agreed(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    with pytest.raises(ValidationError, match="minstens één doel"):
        services.plan_agree(by=cast.adviser, plan=trajectory.plan)


def test_only_the_trajectorys_adviser_changes_the_plan(cast):
    trajectory = f.active_trajectory(adviser=cast.adviser)
    for other in (f.adviser(cast.region), cast.member_user, cast.coordinator):
        with pytest.raises(ValidationError):
            services.goal_add(by=other, plan=trajectory.plan, description="x", due_on=None)
    assert trajectory.plan.goals.count() == 1


def test_holding_a_review_plans_the_next_after_the_interval(cast):
    trajectory = f.active_trajectory(adviser=cast.adviser)
    review = PlanReview.objects.get(trajectory=trajectory)
    held = timezone.localdate()
    following = services.review_hold(by=cast.adviser, review=review, held_on=held)
    assert following.due_on == held + datetime.timedelta(weeks=4)
    assert PlanReview.objects.filter(trajectory=trajectory, held_on__isnull=True).count() == 1
    with pytest.raises(ValidationError, match="al gehouden"):
        services.review_hold(by=cast.adviser, review=review)


def test_reviews_stop_at_the_agreed_end_of_guidance(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    services.goal_add(by=cast.adviser, plan=trajectory.plan, description="x", due_on=None)
    end = timezone.localdate() + datetime.timedelta(weeks=2)
    services.plan_agree(by=cast.adviser, plan=trajectory.plan, agreed_end_on=end)
    assert PlanReview.objects.get(trajectory=trajectory).due_on == end
