"""Adviser pages: the intake queue of their regions, their trajectories and each trajectory's
plan, goals, reviews, notes, workshops and ending; handing a trajectory over.

Every object comes through its model's `visible_to(user)`: out of scope is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from core import bounds
from core.access import get_visible_or_404, role_required
from core.roles import Role
from members.http import AuthenticatedRequest
from trajectories import enrolling, forms, services
from trajectories.models import (
    AdviserAssignment,
    Enrolment,
    EnrolmentStatus,
    Goal,
    IntakeRequest,
    PlanReview,
    PlanVersion,
    ProgressNote,
    Trajectory,
    WorkshopSession,
)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _trajectory(request: HttpRequest, pk: int) -> Trajectory:
    return get_visible_or_404(
        Trajectory.objects.select_related(
            "member", "participant", "adviser", "region", "employer", "collective_case", "plan"
        ),
        request.user,
        pk=pk,
    )


# --- intake ------------------------------------------------------------------------------------


@role_required(Role.ADVISER)
def intake_queue(request: AuthenticatedRequest) -> HttpResponse:
    requests = (
        IntakeRequest.objects.visible_to(request.user)
        .open()
        .select_related(
            "member", "participant", "region", "collective_case", "public_signup__possible_member"
        )
    )
    audit_log(request=request, action=AuditAction.LIST, object_type="trajectories.intakerequest")
    return render(request, "trajectories/intake_queue.html", {"requests": requests})


@role_required(Role.ADVISER)
def intake_new(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.DirectIntakeForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participant = None
            if form.member is None:
                participant = services.participant_create(
                    by=request.user,
                    region=data["region"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    external_reference=data["external_reference"],
                    consent_at=timezone.now(),
                    consent_source=data["consent_source"],
                )
            services.intake_request_create_direct(
                by=request.user,
                region=data["region"],
                member=form.member,
                participant=participant,
                note=data["note"],
                collective_case=data["collective_case"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("De aanvraag staat in de intakewachtrij."))
            return redirect("trajectories:intake_queue")
    return render(request, "trajectories/intake_new.html", {"form": form})


@role_required(Role.ADVISER)
def intake_take(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    intake = get_visible_or_404(
        IntakeRequest.objects.open().select_related("member", "participant", "region"),
        request.user,
        pk=pk,
    )
    form = forms.TakeIntakeForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.intake_take(
                adviser=request.user, intake_request=intake, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(request, error)
            return redirect("trajectories:intake_queue")
        messages.success(
            request, _("Je begeleidt dit traject nu. Stel samen het plan van aanpak op.")
        )
        return redirect("trajectories:detail", pk=trajectory.pk)
    audit_log(
        request=request, action=AuditAction.VIEW, obj=intake, subject_member_id=intake.member_id
    )
    return render(request, "trajectories/intake_take.html", {"intake": intake, "form": form})


@role_required(Role.ADVISER)
@require_POST
def intake_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    intake = get_visible_or_404(IntakeRequest.objects.open(), request.user, pk=pk)
    try:
        services.intake_withdraw(by=request.user, intake_request=intake)
        messages.success(request, _("De aanvraag is ingetrokken."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("trajectories:intake_queue")


# --- my trajectories ---------------------------------------------------------------------------


@role_required(Role.ADVISER)
def my_trajectories(request: AuthenticatedRequest) -> HttpResponse:
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .select_related("member", "participant", "region", "collective_case")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.filter(held_on__isnull=True),
                to_attr="pending_reviews",
            )
        )
        .order_by("status", "-started_on")
    )
    running = [t for t in trajectories if not t.is_finished]
    finished = [t for t in trajectories if t.is_finished]
    audit_log(request=request, action=AuditAction.LIST, object_type="trajectories.trajectory")
    return render(
        request,
        "trajectories/my_trajectories.html",
        {"running": running, "finished": finished},
    )


@role_required(Role.ADVISER)
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    plan = trajectory.plan
    context = {
        "trajectory": trajectory,
        "plan": plan,
        "goals": plan.goals.all(),
        "versions": PlanVersion.objects.visible_to(request.user)
        .filter(plan=plan)
        .order_by("-number"),
        "reviews": trajectory.reviews.all(),
        "notes": ProgressNote.objects.visible_to(request.user)
        .filter(trajectory=trajectory)
        .select_related("author"),
        "assignments": AdviserAssignment.objects.visible_to(request.user)
        .filter(trajectory=trajectory)
        .select_related("adviser"),
        "enrolments": trajectory.enrolments.select_related(
            "session__workshop", "session__union_house"
        ).order_by("session__starts_at"),
        "outcome": getattr(trajectory, "outcome", None),
        "goal_form": forms.GoalForm(),
        "agree_form": forms.AgreePlanForm(
            initial={
                "agreed_end_on": trajectory.agreed_end_on,
                "review_interval_weeks": plan.review_interval_weeks,
            }
        ),
        "note_form": forms.NoteForm(prefix="note"),
        "summary_form": forms.SummaryForm(
            prefix="summary", initial={"text": trajectory.shared_summary}
        ),
        "goal_statuses": forms.GoalStatus.choices,
        "now": timezone.now(),
    }
    audit_log(
        request=request,
        action=AuditAction.VIEW,
        obj=trajectory,
        subject_member_id=trajectory.member_id,
    )
    return render(request, "trajectories/detail.html", context)


def _back(pk: int, anchor: str = "") -> HttpResponse:
    response = redirect("trajectories:detail", pk=pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@role_required(Role.ADVISER)
@require_POST
def goal_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(by=request.user, plan=trajectory.plan, **form.cleaned_data)
            messages.success(request, _("Doel toegevoegd."))
        except ValidationError as error:
            _errors(request, error)
    else:
        bounds.form_error_messages(request, form, description=_("Beschrijf wat het doel is."))
    return _back(pk, "plan")


@role_required(Role.ADVISER)
@require_POST
def goal_update(request: AuthenticatedRequest, pk: int, goal_pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    goal = get_object_or_404(
        Goal.objects.visible_to(request.user), pk=goal_pk, plan__trajectory=trajectory
    )
    form = forms.GoalUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                by=request.user,
                goal=goal,
                status=data["status"] or None,
                description=data["description"] or None,
                due_on=data["due_on"],
            )
            messages.success(request, _("Doel bijgewerkt."))
        except ValidationError as error:
            _errors(request, error)
    else:
        bounds.form_error_messages(request, form)
    return _back(pk, "plan")


@role_required(Role.ADVISER)
@require_POST
def plan_agree(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.AgreePlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_agree(by=request.user, plan=trajectory.plan, **form.cleaned_data)
            messages.success(
                request, _("Het plan van aanpak is afgesproken; het traject is actief.")
            )
        except ValidationError as error:
            _errors(request, error)
    else:
        bounds.form_error_messages(
            request, form, agreed_end_on=_("Vul in tot wanneer de begeleiding loopt.")
        )
    return _back(pk, "plan")


@role_required(Role.ADVISER)
@require_POST
def review_hold(request: AuthenticatedRequest, pk: int, review_pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    review = get_object_or_404(
        PlanReview.objects.visible_to(request.user), pk=review_pk, trajectory=trajectory
    )
    try:
        services.review_hold(by=request.user, review=review)
        messages.success(request, _("Evaluatie vastgelegd; de volgende is gepland."))
    except ValidationError as error:
        _errors(request, error)
    return _back(pk, "reviews")


@role_required(Role.ADVISER)
@require_POST
def note_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.note_add(
                by=request.user, trajectory=trajectory, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Notitie opgeslagen."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Schrijf eerst de notitie; er is niets opgeslagen."))
    return _back(pk, "notes")


@role_required(Role.ADVISER)
@require_POST
def summary_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.SummaryForm(request.POST, prefix="summary")
    if form.is_valid():
        try:
            services.summary_share(
                by=request.user, trajectory=trajectory, text=form.cleaned_data["text"]
            )
            messages.success(request, _("De samenvatting is gedeeld met de deelnemer."))
        except ValidationError as error:
            _errors(request, error)
    return _back(pk, "summary")


@role_required(Role.ADVISER)
def workshops_for(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The adviser enrols their participant in a session (or on its waiting list)."""
    trajectory = _trajectory(request, pk)
    if request.method == "POST":
        session = get_object_or_404(
            WorkshopSession.objects.upcoming(), pk=bounds.int_param(request.POST, "session")
        )
        try:
            enrolment = enrolling.enrol(by=request.user, trajectory=trajectory, session=session)
        except ValidationError as error:
            _errors(request, error)
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.warning(
                    request, _("De bijeenkomst is vol: de deelnemer staat op de wachtlijst.")
                )
            else:
                messages.success(request, _("De deelnemer is ingeschreven."))
        return redirect("trajectories:workshops_for", pk=pk)
    sessions = (
        WorkshopSession.objects.upcoming().with_counts().select_related("workshop", "union_house")
    )
    mine = {
        e.session_id: e for e in trajectory.enrolments.active().select_related("session__workshop")
    }
    audit_log(
        request=request,
        action=AuditAction.VIEW,
        obj=trajectory,
        subject_member_id=trajectory.member_id,
        detail="workshops",
    )
    return render(
        request,
        "trajectories/workshops_for.html",
        {"trajectory": trajectory, "sessions": sessions, "mine": mine},
    )


@role_required(Role.ADVISER)
@require_POST
def attendance(request: AuthenticatedRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("session", "trajectory"), request.user, pk=enrolment_pk
    )
    try:
        enrolling.attendance_record(
            by=request.user, enrolment=enrolment, attended=request.POST.get("attended") == "yes"
        )
        messages.success(request, _("Aanwezigheid vastgelegd."))
    except ValidationError as error:
        _errors(request, error)
    return _back(enrolment.trajectory_id, "workshops")


@role_required(Role.ADVISER)
def end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    if trajectory.is_finished:
        messages.error(request, _("Dit traject is al beëindigd."))
        return redirect("trajectories:detail", pk=pk)
    form = forms.EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trajectory_end(
                by=request.user,
                trajectory=trajectory,
                stopped=data["ending"] == "stopped",
                stop_reason=data["stop_reason"],
                kind=data["kind"],
                employer=data["employer"],
                sector=data["sector"],
                contract_kind=data["contract_kind"],
                under_cao=data["under_cao"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                _errors(request, error)
        else:
            messages.success(request, _("Het traject is beëindigd en de uitkomst is vastgelegd."))
            return redirect("trajectories:detail", pk=pk)
    audit_log(
        request=request,
        action=AuditAction.VIEW,
        obj=trajectory,
        subject_member_id=trajectory.member_id,
        detail="beëindigen",
    )
    return render(request, "trajectories/end.html", {"trajectory": trajectory, "form": form})


@role_required(Role.ADVISER, Role.COORDINATOR)
def reassign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The adviser hands their trajectory over, or a coordinator of the region does. The
    coordinator sees the number, status and adviser only, never the participant's name."""
    trajectory = get_object_or_404(
        Trajectory.objects.reassignable_by(request.user).select_related("adviser", "region"),
        pk=pk,
    )
    if trajectory.is_finished:
        raise Http404
    form = forms.ReassignForm(
        request.POST if request.method == "POST" else None, trajectory=trajectory
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_reassign(
                by=request.user,
                trajectory=trajectory,
                new_adviser=form.cleaned_data["adviser"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Het traject is overgedragen."))
            if request.user.role == Role.COORDINATOR:
                return redirect("trajectories:coordinator_trajectories")
            return redirect("trajectories:my_trajectories")
    return render(request, "trajectories/reassign.html", {"trajectory": trajectory, "form": form})
