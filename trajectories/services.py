"""Every write of the trajectories app: typed, keyword-only, atomic, audited.

Views, the referral receiver, tasks and the demo seed all call these functions.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.roles import Role
from members.models import Employer, Member, Sector, User
from regions.models import Region
from trajectories.access import require_adviser_of, subject_of
from trajectories.enrolling import enrolment_cancel
from trajectories.models import (
    ActionPlan,
    AdviserAssignment,
    CollectiveCase,
    Goal,
    GoalStatus,
    IntakeRequest,
    IntakeSource,
    IntakeStatus,
    Outcome,
    Participant,
    PlanReview,
    PlanVersion,
    ProgressNote,
    Trajectory,
    TrajectoryStatus,
)

logger = logging.getLogger(__name__)


# --- intake ------------------------------------------------------------------------------------


def intake_request_from_referral(
    *, member: Member, region: Region | None, source: str, source_id: int | None, note: str = ""
) -> IntakeRequest | None:
    """Put a referred member in the intake queue of their region. Delivering the same referral
    twice creates one request (unique on source and source id)."""
    region = region or member.region
    if region is None:
        # No region known: nobody's queue to put it in. Logged by id only (no personal data).
        logger.warning("Referral %s/%s for member %s has no region", source, source_id, member.pk)
        return None
    if source not in IntakeSource.values:
        source = IntakeSource.APPOINTMENT
    try:
        with transaction.atomic():
            request, created = IntakeRequest.objects.get_or_create(
                source=source,
                source_id=source_id,
                defaults={"member": member, "region": region, "note": note[:2000]},
            )
    except IntegrityError:
        request, created = IntakeRequest.objects.get(source=source, source_id=source_id), False
    if created:
        audit_log(
            action=AuditAction.CREATE,
            obj=request,
            subject_member_id=member.pk,
            detail=f"verwijzing {source}",
        )
    return request


@transaction.atomic
def participant_create(
    *,
    by: User,
    region: Region,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    external_reference: str = "",
    consent_at: datetime.datetime,
    consent_source: str,
    is_demo: bool = False,
) -> Participant:
    """Record a non-member with only the data needed and their consent (when, how)."""
    participant = Participant(
        region=region,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        external_reference=external_reference,
        consent_at=consent_at,
        consent_source=consent_source,
        created_by=by,
        is_demo=is_demo,
    )
    participant.full_clean()
    participant.save()
    audit_log(user=by, action=AuditAction.CREATE, obj=participant)
    return participant


@transaction.atomic
def intake_request_create_direct(
    *,
    by: User,
    region: Region,
    member: Member | None = None,
    participant: Participant | None = None,
    note: str = "",
    collective_case: CollectiveCase | None = None,
    is_demo: bool = False,
) -> IntakeRequest:
    """An adviser adds a direct request (a phone call, a walk-in, a collective case)."""
    if by.role != Role.ADVISER or not by.regions.filter(pk=region.pk).exists():
        raise ValidationError(_("Je kunt alleen aanvragen toevoegen in je eigen regio's."))
    if (member is None) == (participant is None):
        raise ValidationError(_("Kies een lid of leg een deelnemer vast die geen lid is."))
    if (
        member is not None
        and IntakeRequest.objects.filter(member=member, status=IntakeStatus.OPEN).exists()
    ):
        raise ValidationError(_("Dit lid staat al in de intakewachtrij."))
    request = IntakeRequest(
        region=region,
        member=member,
        participant=participant,
        source=IntakeSource.DIRECT,
        note=note,
        collective_case=collective_case,
        created_by=by,
        is_demo=is_demo,
    )
    request.full_clean()
    request.save()
    audit_log(
        user=by,
        action=AuditAction.CREATE,
        obj=request,
        subject_member_id=member.pk if member else None,
    )
    return request


@transaction.atomic
def intake_take(
    *,
    adviser: User,
    intake_request: IntakeRequest,
    kind: str,
    reason: str,
    employer: Employer | None = None,
    agreed_end_on: datetime.date | None = None,
    collective_case: CollectiveCase | None = None,
    started_on: datetime.date | None = None,
    is_demo: bool = False,
) -> Trajectory:
    """The adviser takes a request on: it leaves the queue and becomes a trajectory in intake,
    with an empty plan and the first adviser assignment. Two advisers at once: one wins."""
    if (
        adviser.role != Role.ADVISER
        or not adviser.regions.filter(pk=intake_request.region_id).exists()
    ):
        raise ValidationError(_("Je kunt alleen aanvragen uit je eigen regio's oppakken."))
    intake_request.take(adviser=adviser)
    trajectory = Trajectory(
        member=intake_request.member,
        participant=intake_request.participant,
        adviser=adviser,
        kind=kind,
        reason=reason,
        employer=employer or (intake_request.member.employer if intake_request.member else None),
        region=intake_request.region,
        collective_case=collective_case or intake_request.collective_case,
        intake_request=intake_request,
        started_on=started_on or timezone.localdate(),
        agreed_end_on=agreed_end_on,
        is_demo=is_demo,
    )
    trajectory.full_clean()
    trajectory.save()
    AdviserAssignment.objects.create(
        trajectory=trajectory, adviser=adviser, assigned_by=adviser, reason=_("intake opgepakt")
    )
    ActionPlan.objects.create(trajectory=trajectory)
    audit_log(
        user=adviser,
        action=AuditAction.CREATE,
        obj=trajectory,
        subject_member_id=subject_of(trajectory),
        detail=f"uit intake {intake_request.pk}",
    )
    return trajectory


@transaction.atomic
def intake_withdraw(*, by: User, intake_request: IntakeRequest) -> IntakeRequest:
    """The person no longer wants a trajectory: the request leaves the queue (compare-and-swap,
    so it cannot be withdrawn and taken on at once)."""
    if by.role != Role.ADVISER or not by.regions.filter(pk=intake_request.region_id).exists():
        raise ValidationError(_("Je kunt alleen aanvragen uit je eigen regio's intrekken."))
    intake_request.withdraw()
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=intake_request,
        subject_member_id=intake_request.member_id,
        detail="ingetrokken",
    )
    return intake_request


# --- adviser assignment ------------------------------------------------------------------------


@transaction.atomic
def trajectory_reassign(
    *, by: User, trajectory: Trajectory, new_adviser: User, reason: str = ""
) -> AdviserAssignment:
    """Hand a trajectory to another adviser of its region. The open assignment ends, a new one
    starts; the history stays. Allowed for the current adviser and coordinators of the region."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if not Trajectory.objects.reassignable_by(by).filter(pk=trajectory.pk).exists():
        raise ValidationError(_("Je mag dit traject niet overdragen."))
    if trajectory.is_finished:
        raise ValidationError(_("Een beëindigd traject kan niet meer worden overgedragen."))
    if (
        new_adviser.role != Role.ADVISER
        or not new_adviser.is_active
        or not new_adviser.regions.filter(pk=trajectory.region_id).exists()
    ):
        raise ValidationError(_("Kies een trajectadviseur van de regio van dit traject."))
    if new_adviser.pk == trajectory.adviser_id:
        raise ValidationError(_("Deze adviseur begeleidt het traject al."))
    now = timezone.now()
    AdviserAssignment.objects.filter(trajectory=trajectory, ended_at__isnull=True).update(
        ended_at=now
    )
    assignment = AdviserAssignment.objects.create(
        trajectory=trajectory,
        adviser=new_adviser,
        started_at=now,
        assigned_by=by,
        reason=reason[:200],
    )
    trajectory.adviser = new_adviser
    trajectory.save(update_fields=["adviser"])
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=trajectory,
        subject_member_id=subject_of(trajectory),
        detail=f"overgedragen aan gebruiker {new_adviser.pk}",
    )
    return assignment


# --- plan of action ----------------------------------------------------------------------------


def _lock_plan(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().select_related("trajectory").get(pk=plan.pk)


def _record_version(*, plan: ActionPlan, by: User, change: str) -> PlanVersion | None:
    """After the agreement every change is kept as a version (the plan row is locked)."""
    if not plan.is_agreed:
        return None
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PlanVersion.objects.create(
        plan=plan, number=last + 1, snapshot=plan.snapshot(), change=change[:200], created_by=by
    )


def _check_plan_editable(plan: ActionPlan, by: User) -> None:
    require_adviser_of(by, plan.trajectory)
    if plan.trajectory.is_finished:
        raise ValidationError(_("Het plan van een beëindigd traject kan niet meer veranderen."))


@transaction.atomic
def goal_add(*, by: User, plan: ActionPlan, description: str, due_on: datetime.date | None) -> Goal:
    plan = _lock_plan(plan)
    _check_plan_editable(plan, by)
    goal = Goal(plan=plan, description=description, due_on=due_on)
    goal.full_clean()
    goal.save()
    _record_version(plan=plan, by=by, change=_("doel toegevoegd"))
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=plan.trajectory,
        detail="doel toegevoegd",
        subject_member_id=subject_of(plan.trajectory),
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    by: User,
    goal: Goal,
    description: str | None = None,
    due_on: datetime.date | None = None,
    status: str | None = None,
) -> Goal:
    plan = _lock_plan(goal.plan)
    _check_plan_editable(plan, by)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    changed = []
    if description is not None and description != goal.description:
        goal.description = description
        changed.append(_("omschrijving"))
    if due_on is not None and due_on != goal.due_on:
        goal.due_on = due_on
        changed.append(_("datum"))
    if status is not None and status != goal.status:
        if status not in GoalStatus.values:
            raise ValidationError(_("Onbekende status van een doel."))
        goal.status = status
        changed.append(_("status"))
    if not changed:
        return goal
    goal.full_clean()
    goal.save()
    _record_version(
        plan=plan, by=by, change=_("doel gewijzigd: %(what)s") % {"what": ", ".join(changed)}
    )
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=plan.trajectory,
        detail="doel gewijzigd",
        subject_member_id=subject_of(plan.trajectory),
    )
    return goal


@transaction.atomic
def plan_agree(
    *,
    by: User,
    plan: ActionPlan,
    agreed_end_on: datetime.date | None = None,
    review_interval_weeks: int | None = None,
) -> PlanVersion:
    """The participant agrees to the plan: version 1 is kept, the first review is planned and
    a trajectory in intake becomes active."""
    plan = _lock_plan(plan)
    _check_plan_editable(plan, by)
    if plan.is_agreed:
        raise ValidationError(
            _("Dit plan is al afgesproken; wijzigingen worden als versie bewaard.")
        )
    if not plan.goals.exists():
        raise ValidationError(_("Een plan van aanpak heeft minstens één doel."))
    trajectory = plan.trajectory
    if agreed_end_on is not None:
        trajectory.agreed_end_on = agreed_end_on
        trajectory.full_clean()
        trajectory.save(update_fields=["agreed_end_on"])
    if not trajectory.agreed_end_on:
        raise ValidationError(_("Spreek af tot wanneer de begeleiding loopt."))
    if review_interval_weeks:
        plan.review_interval_weeks = review_interval_weeks
    plan.agreed_at = timezone.now()
    plan.save(update_fields=["agreed_at", "review_interval_weeks", "updated_at"])
    if trajectory.status == TrajectoryStatus.INTAKE:
        trajectory.activate()
    version = _record_version(plan=plan, by=by, change=_("plan afgesproken"))
    _schedule_review(trajectory, after=timezone.localdate(), weeks=plan.review_interval_weeks)
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=trajectory,
        detail="plan afgesproken",
        subject_member_id=subject_of(trajectory),
    )
    assert version is not None
    return version


def _schedule_review(
    trajectory: Trajectory, *, after: datetime.date, weeks: int
) -> PlanReview | None:
    due_on = after + datetime.timedelta(weeks=weeks)
    if trajectory.agreed_end_on and due_on > trajectory.agreed_end_on:
        due_on = trajectory.agreed_end_on
    if due_on <= after:
        return None
    review, _created = PlanReview.objects.get_or_create(
        trajectory=trajectory, held_on__isnull=True, defaults={"due_on": due_on}
    )
    return review


@transaction.atomic
def review_hold(
    *, by: User, review: PlanReview, held_on: datetime.date | None = None
) -> PlanReview | None:
    """Mark a review as held and plan the next one after the interval. Returns the next."""
    review = PlanReview.objects.select_for_update().select_related("trajectory").get(pk=review.pk)
    trajectory = review.trajectory
    require_adviser_of(by, trajectory)
    if review.held_on:
        raise ValidationError(_("Deze evaluatie is al gehouden."))
    if trajectory.status != TrajectoryStatus.ACTIVE:
        raise ValidationError(_("Alleen een actief traject wordt geëvalueerd."))
    review.held_on = held_on or timezone.localdate()
    review.save(update_fields=["held_on"])
    plan = trajectory.plan
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=trajectory,
        detail="evaluatie gehouden",
        subject_member_id=subject_of(trajectory),
    )
    return _schedule_review(trajectory, after=review.held_on, weeks=plan.review_interval_weeks)


@transaction.atomic
def note_add(*, by: User, trajectory: Trajectory, text: str) -> ProgressNote:
    require_adviser_of(by, trajectory)
    note = ProgressNote(trajectory=trajectory, author=by, text=text)
    note.full_clean()
    note.save()
    audit_log(
        user=by, action=AuditAction.CREATE, obj=note, subject_member_id=subject_of(trajectory)
    )
    return note


@transaction.atomic
def summary_share(*, by: User, trajectory: Trajectory, text: str) -> Trajectory:
    """The adviser chooses what the participant sees as a summary of the guidance."""
    require_adviser_of(by, trajectory)
    trajectory.shared_summary = text.strip()
    trajectory.shared_summary_updated_at = timezone.now()
    trajectory.save(update_fields=["shared_summary", "shared_summary_updated_at"])
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=trajectory,
        detail="samenvatting gedeeld",
        subject_member_id=subject_of(trajectory),
    )
    return trajectory


# --- ending ------------------------------------------------------------------------------------


@transaction.atomic
def trajectory_end(
    *,
    by: User,
    trajectory: Trajectory,
    stopped: bool = False,
    stop_reason: str = "",
    kind: str,
    employer: Employer | None = None,
    sector: Sector | None = None,
    contract_kind: str = "",
    under_cao: bool | None = None,
) -> Outcome:
    """Complete (or stop, with a reason) a trajectory and record its outcome in one go.
    Open waiting-list places and future enrolments are cancelled."""
    # Read the status as it is in the database now (the row stays locked until commit).
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    require_adviser_of(by, trajectory)
    outcome = Outcome(
        trajectory=trajectory,
        kind=kind,
        employer=employer,
        sector=sector or (employer.sector if employer else None),
        contract_kind=contract_kind,
        under_cao=under_cao,
        recorded_by=by,
    )
    outcome.full_clean(exclude=["trajectory"])
    if stopped:
        trajectory.stop(reason=stop_reason)
    else:
        trajectory.complete()
    outcome.save()
    for enrolment in trajectory.enrolments.active().filter(session__starts_at__gt=timezone.now()):
        enrolment_cancel(by=by, enrolment=enrolment, audit=False)
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=trajectory,
        subject_member_id=subject_of(trajectory),
        detail=f"beëindigd: {trajectory.status}, uitkomst {kind}",
    )
    return outcome


# --- collective cases --------------------------------------------------------------------------


@transaction.atomic
def collective_case_create(
    *,
    by: User,
    name: str,
    kind: str,
    employer: Employer,
    region: Region,
    announced_on: datetime.date | None = None,
    description: str = "",
    is_demo: bool = False,
) -> CollectiveCase:
    if (
        by.role not in (Role.ADVISER, Role.COORDINATOR)
        or not by.regions.filter(pk=region.pk).exists()
    ):
        raise ValidationError(_("Je kunt alleen collectieve zaken in je eigen regio's aanmaken."))
    case = CollectiveCase(
        name=name,
        kind=kind,
        employer=employer,
        region=region,
        announced_on=announced_on or timezone.localdate(),
        description=description,
        created_by=by,
        is_demo=is_demo,
    )
    case.full_clean()
    case.save()
    audit_log(user=by, action=AuditAction.CREATE, obj=case)
    return case
