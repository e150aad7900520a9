"""Trajectories and Van Werk Naar Werk: participants, trajectories and their advisers, the intake
queue, plans of action with goals, versions and reviews, progress notes, workshops with
enrolments and a waiting list, collective cases, and the outcome when a trajectory ends.

Who may see what is written once per model, in its `visible_to(user)` queryset method:

- a trajectory adviser sees the trajectories assigned to them, and the open intake requests of
  their regions;
- a member sees their own trajectory (never progress notes or plan versions);
- coordinators see aggregates only (the outcome pages count, never name);
- everyone else sees nothing (404).

The models live in modules by subject (people, trajectory, plans, workshops, outcomes); this
package exposes them all, so `from trajectories.models import Trajectory` keeps working.
"""

from trajectories.models.outcomes import (
    ContractKind,
    Outcome,
    OutcomeKind,
    OutcomeQuerySet,
)
from trajectories.models.people import (
    CollectiveCase,
    CollectiveCaseKind,
    CollectiveCaseQuerySet,
    CollectiveCaseStatus,
    ConsentSource,
    IntakeRequest,
    IntakeRequestQuerySet,
    IntakeSource,
    IntakeStatus,
    Participant,
    ParticipantQuerySet,
)
from trajectories.models.plans import (
    ActionPlan,
    ActionPlanQuerySet,
    Goal,
    GoalQuerySet,
    GoalStatus,
    PlanReview,
    PlanReviewQuerySet,
    PlanVersion,
    PlanVersionQuerySet,
    ProgressNote,
    ProgressNoteQuerySet,
)
from trajectories.models.signup import PublicSignup, PublicSignupQuerySet
from trajectories.models.trajectory import (
    DEFAULT_REVIEW_INTERVAL_WEEKS,
    FINISHED_STATUSES,
    AdviserAssignment,
    AdviserAssignmentQuerySet,
    Trajectory,
    TrajectoryKind,
    TrajectoryQuerySet,
    TrajectoryReason,
    TrajectoryStatus,
)
from trajectories.models.workshops import (
    Enrolment,
    EnrolmentQuerySet,
    EnrolmentStatus,
    Workshop,
    WorkshopMode,
    WorkshopSession,
    WorkshopSessionQuerySet,
)

__all__ = [
    "ActionPlan",
    "ActionPlanQuerySet",
    "AdviserAssignment",
    "AdviserAssignmentQuerySet",
    "CollectiveCase",
    "CollectiveCaseKind",
    "CollectiveCaseQuerySet",
    "CollectiveCaseStatus",
    "ConsentSource",
    "ContractKind",
    "DEFAULT_REVIEW_INTERVAL_WEEKS",
    "Enrolment",
    "EnrolmentQuerySet",
    "EnrolmentStatus",
    "FINISHED_STATUSES",
    "Goal",
    "GoalQuerySet",
    "GoalStatus",
    "IntakeRequest",
    "IntakeRequestQuerySet",
    "IntakeSource",
    "IntakeStatus",
    "Outcome",
    "OutcomeKind",
    "OutcomeQuerySet",
    "Participant",
    "ParticipantQuerySet",
    "PlanReview",
    "PlanReviewQuerySet",
    "PlanVersion",
    "PlanVersionQuerySet",
    "ProgressNote",
    "ProgressNoteQuerySet",
    "PublicSignup",
    "PublicSignupQuerySet",
    "Trajectory",
    "TrajectoryKind",
    "TrajectoryQuerySet",
    "TrajectoryReason",
    "TrajectoryStatus",
    "Workshop",
    "WorkshopMode",
    "WorkshopSession",
    "WorkshopSessionQuerySet",
]
