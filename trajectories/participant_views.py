"""The participant's own pages (member account): my trajectory, my plan and goals, review
dates, the summary the adviser shared, and my workshops (enrol, cancel).

Progress notes and plan versions are never shown here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from core.access import get_visible_or_404, role_required
from core.roles import Role
from members.http import AuthenticatedRequest
from trajectories import enrolling
from trajectories.models import Enrolment, EnrolmentStatus, Trajectory, WorkshopSession


def _current(request: HttpRequest) -> Trajectory | None:
    """The member's running trajectory, else the most recent one."""
    mine = Trajectory.objects.visible_to(request.user).select_related("adviser", "plan")
    return mine.running().order_by("-started_on").first() or mine.order_by("-started_on").first()


@role_required(Role.MEMBER)
def my_trajectory(request: AuthenticatedRequest) -> HttpResponse:
    trajectory = _current(request)
    context: dict[str, Any] = {"trajectory": trajectory}
    if trajectory is not None:
        plan = trajectory.plan
        context.update(
            plan=plan,
            goals=plan.goals.all() if plan.is_agreed else [],
            reviews=trajectory.reviews.all(),
            enrolments=trajectory.enrolments.active()
            .select_related("session__workshop", "session__union_house")
            .order_by("session__starts_at"),
            outcome=getattr(trajectory, "outcome", None),
        )
        audit_log(
            request=request,
            action=AuditAction.VIEW,
            obj=trajectory,
            subject_member_id=trajectory.member_id,
        )
    return render(request, "trajectories/my_trajectory.html", context)


@role_required(Role.MEMBER)
def my_workshops(request: AuthenticatedRequest) -> HttpResponse:
    trajectory = _current(request)
    if trajectory is None:
        return redirect("trajectories:my_trajectory")
    enrolments = (
        Enrolment.objects.visible_to(request.user)
        .filter(trajectory=trajectory)
        .active()
        .select_related("session__workshop", "session__union_house")
        .order_by("session__starts_at")
    )
    taken = {e.session_id for e in enrolments}
    sessions = [
        s
        for s in WorkshopSession.objects.upcoming()
        .with_counts()
        .select_related("workshop", "union_house")
        if s.pk not in taken
    ]
    audit_log(
        request=request,
        action=AuditAction.LIST,
        object_type="trajectories.enrolment",
        subject_member_id=trajectory.member_id,
    )
    return render(
        request,
        "trajectories/my_workshops.html",
        {"trajectory": trajectory, "enrolments": enrolments, "sessions": sessions},
    )


@role_required(Role.MEMBER)
@require_POST
def enrol(request: AuthenticatedRequest, session_pk: int) -> HttpResponse:
    trajectory = _current(request)
    session = get_object_or_404(WorkshopSession.objects.upcoming(), pk=session_pk)
    if trajectory is None:
        return redirect("trajectories:my_trajectory")
    try:
        enrolment = enrolling.enrol(by=request.user, trajectory=trajectory, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(
                request,
                _(
                    "Deze bijeenkomst is vol. Je staat op de wachtlijst en krijgt bericht als er een plaats vrijkomt."
                ),
            )
        else:
            messages.success(request, _("Je bent ingeschreven."))
    return redirect("trajectories:my_workshops")


@role_required(Role.MEMBER, Role.ADVISER)
@require_POST
def cancel(request: AuthenticatedRequest, enrolment_pk: int) -> HttpResponse:
    """Cancel a place (the member their own, the adviser one of their participant's)."""
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("trajectory"), request.user, pk=enrolment_pk
    )
    try:
        enrolling.enrolment_cancel(by=request.user, enrolment=enrolment)
        messages.success(request, _("De inschrijving is afgemeld."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if request.user.role == Role.ADVISER:
        return redirect("trajectories:workshops_for", pk=enrolment.trajectory_id)
    return redirect("trajectories:my_workshops")
