"""Pages of collective cases opened from signals.

Every object comes through its model's `visible_to(user)`: out of scope is 404. Writes are
POST only; the services check the acting user again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from casework import selectors, services
from casework.forms import InviteForm, LinkCaseForm, OpenCaseForm, OutcomeForm
from casework.models import CaseInvitation, CaseParticipant, InvitationStatus
from core.access import get_visible_or_404, role_required
from core.figures import min_group_size, shown
from core.roles import Role
from members.http import AuthenticatedRequest
from signals.models import Signal
from trajectories.models import CollectiveCase

CASE_ROLES = (Role.SECTOR_OFFICIAL, Role.ADVISER, Role.COORDINATOR, Role.ADMIN)


def _errors(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _case(request: AuthenticatedRequest, pk: int) -> CollectiveCase:
    return get_visible_or_404(
        CollectiveCase.objects.select_related("employer", "region", "sector"), request.user, pk=pk
    )


@role_required(*CASE_ROLES)
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    cases = CollectiveCase.objects.visible_to(request.user).select_related(
        "employer", "region", "sector"
    )
    audit_log(request=request, action=AuditAction.LIST, object_type="trajectories.collectivecase")
    return render(request, "casework/case_list.html", {"cases": cases})


@role_required(*CASE_ROLES)
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    signals = selectors.case_signals(case, viewer=request.user)
    audit_log(request=request, action=AuditAction.VIEW, obj=case)
    for item in signals:
        for session in item.evidence.shared:
            audit_log(
                request=request,
                action=AuditAction.VIEW,
                obj=session,
                subject_member_id=session.member_id,
                detail="shared with consent",
            )
    participants = list(
        CaseParticipant.objects.visible_to(request.user).filter(case=case).select_related("member")
    )
    for participant in participants:
        audit_log(
            request=request,
            action=AuditAction.VIEW,
            obj=participant,
            subject_member_id=participant.member_id,
        )
    invitations = CaseInvitation.objects.filter(case=case)
    is_official = request.user.role == Role.SECTOR_OFFICIAL
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "signals": signals,
            "participants": participants,
            "invited_count": shown(invitations.count()),
            "accepted_count": shown(invitations.filter(status=InvitationStatus.ACCEPTED).count()),
            "is_official": is_official,
            "invitable_count": shown(selectors.invitable_members(case, by=request.user).count())
            if is_official and case.is_open
            else 0,
            "outcome_form": OutcomeForm(),
            "min_group_size": min_group_size(),
        },
    )


@role_required(Role.SECTOR_OFFICIAL)
def from_signal(request: AuthenticatedRequest, signal_pk: int) -> HttpResponse:
    """Open a new case from the signal (prefilled) or link it to an open one."""
    signal = get_visible_or_404(
        Signal.objects.select_related("rule", "employer", "theme", "region", "sector"),
        request.user,
        pk=signal_pk,
    )
    existing = selectors.case_for_signal(signal)
    if existing is not None:
        messages.info(request, _("Dit signaal hoort al bij een collectieve zaak."))
        return redirect("signals:signal", pk=signal.pk)
    cases = selectors.linkable_cases(signal, user=request.user)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted is not None else None
    open_form = OpenCaseForm(
        posted if action == "open" else None,
        initial={
            "name": _("%(employer)s: %(theme)s")
            % {"employer": signal.employer, "theme": signal.theme}
            if signal.employer_id and signal.theme_id
            else str(signal.employer or signal.title),
            "kind": "other",
            "description": _(
                "Geopend uit het signaal '%(title)s' (%(count)s gesprekken, %(start)s tot en met %(end)s)."
            )
            % {
                "title": signal.title,
                "count": signal.count,
                "start": signal.window_start.strftime("%d-%m-%Y"),
                "end": signal.window_end.strftime("%d-%m-%Y"),
            },
        },
    )
    link_form = LinkCaseForm(posted if action == "link" else None, cases=cases)
    try:
        if action == "open" and open_form.is_valid():
            case = services.case_open_from_signal(
                signal=signal, by=request.user, **open_form.cleaned_data
            )
            messages.success(request, _("De collectieve zaak is geopend."))
            return redirect("casework:case", pk=case.pk)
        if action == "link" and link_form.is_valid():
            link = services.case_link_signal(
                case=link_form.cleaned_data["case"], signal=signal, by=request.user
            )
            messages.success(request, _("Het signaal is aan de zaak gekoppeld."))
            return redirect("casework:case", pk=link.case_id)
    except ValidationError as error:
        target = open_form if action == "open" else link_form
        target.add_error(None, error)
    return render(
        request,
        "casework/from_signal.html",
        {"signal": signal, "open_form": open_form, "link_form": link_form, "cases": cases},
    )


@role_required(Role.SECTOR_OFFICIAL)
def invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirm step: how many members will be invited; POST sends the invitations."""
    case = _case(request, pk)
    count = selectors.invitable_members(case, by=request.user).count()
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                sent = services.case_invite(
                    case=case, by=request.user, expected=form.cleaned_data["expected"]
                )
            except ValidationError as error:
                _errors(request, error)
                return redirect("casework:invite", pk=case.pk)
            messages.success(
                request,
                _("De uitnodigingen zijn verstuurd (%(count)s).") % {"count": shown(sent)},
            )
            return redirect("casework:case", pk=case.pk)
        messages.error(request, _("Bevestig het aantal opnieuw."))
    return render(
        request,
        "casework/invite.html",
        {
            "case": case,
            "count": count,
            "count_shown": shown(count),
            "form": InviteForm(initial={"expected": count}),
        },
    )


@require_POST
@role_required(Role.SECTOR_OFFICIAL)
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("casework:case", pk=case.pk)
    try:
        services.case_record_outcome(
            case=case, by=request.user, outcome=form.cleaned_data["outcome"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("De uitkomst is vastgelegd en staat nu ook bij de signalen."))
    return redirect("casework:case", pk=case.pk)


@role_required(Role.MEMBER)
def invitation(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """The invited member, logged in, reads what joining means and answers (POST)."""
    item = get_visible_or_404(
        CaseInvitation.objects.select_related("case__employer", "member"),
        request.user,
        token=token,
    )
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in {"accept", "decline"}:
            messages.error(request, _("Kies of je meedoet of niet."))
        else:
            try:
                services.invitation_answer(
                    invitation=item, by=request.user, accept=answer == "accept"
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(
                    request,
                    _("Je doet mee. De sectorbestuurder neemt contact met je op.")
                    if answer == "accept"
                    else _("Je doet niet mee. Je krijgt over deze zaak geen berichten meer."),
                )
        return redirect("casework:invitation", token=item.token)
    audit_log(request=request, action=AuditAction.VIEW, obj=item, subject_member_id=item.member_id)
    return render(request, "casework/invitation.html", {"invitation": item, "case": item.case})
