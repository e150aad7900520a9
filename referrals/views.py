"""The receivers' inbox and the referral page (accept, close with an outcome, decline with a
reason), and the consultant's "Mijn doorverwijzingen"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from core.access import get_visible_or_404, role_required
from core.bounds import int_param, text_param
from core.roles import Role
from members.http import AuthenticatedRequest
from referrals import services
from referrals.forms import DeclineForm, OutcomeForm
from referrals.models import Referral, Status

RECEIVERS = (Role.LEGAL, Role.ADVISER, Role.SECTOR_OFFICIAL, Role.COORDINATOR, Role.ADMIN)
PAGE_SIZE = 50

# The inbox's status filter: a value of the query string and what it selects.
FILTERS = {
    "open": _("Open (nieuw en opgepakt)"),
    "overdue": _("Niet op tijd opgepakt"),
    Status.NEW.value: Status.NEW.label,
    Status.ACCEPTED.value: Status.ACCEPTED.label,
    Status.DONE.value: Status.DONE.label,
    Status.DECLINED.value: Status.DECLINED.label,
    "all": _("Alle"),
}


def _filtered(referrals, status: str):
    if status == "open":
        return referrals.open()
    if status == "overdue":
        return referrals.overdue(timezone.now())
    if status in Status.values:
        return referrals.filter(status=status)
    return referrals


def _page(request: AuthenticatedRequest, referrals):
    number = int_param(request.GET, "pagina", minimum=1, maximum=100_000) or 1
    return Paginator(referrals, PAGE_SIZE).get_page(number)


@role_required(*RECEIVERS)
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    status = text_param(request.GET, "status", max_length=20)
    if status not in FILTERS:
        status = "open"
    fallback_only = request.GET.get("zonder_ontvanger") == "1"
    visible = Referral.objects.visible_to(request.user)
    referrals = _filtered(visible, status)
    if fallback_only:
        referrals = referrals.exclude(fallback_reason="")
    page = _page(request, referrals.select_related("region", "sector").order_by("due_at", "pk"))
    audit_log(
        request=request,
        action=AuditAction.LIST,
        object_type="referrals.referral",
        detail=f"doorverwijzingen: {status}",
    )
    context = {
        "page": page,
        "status": status,
        "filters": FILTERS.items(),
        "fallback_only": fallback_only,
        "now": timezone.now(),
    }
    if request.user.role == Role.ADMIN:
        context["fallen_back"] = visible.fallen_back().count()
        context["overdue"] = visible.overdue(timezone.now()).count()
    return render(request, "referrals/inbox.html", context)


@role_required(Role.CONSULTANT)
def mine(request: AuthenticatedRequest) -> HttpResponse:
    page = _page(
        request,
        Referral.objects.visible_to(request.user)
        .filter(referred_by=request.user)
        .select_related("region")
        .order_by("-created_at", "-pk"),
    )
    audit_log(
        request=request,
        action=AuditAction.LIST,
        object_type="referrals.referral",
        detail="mijn doorverwijzingen",
    )
    return render(request, "referrals/mine.html", {"page": page})


def _referral(request: AuthenticatedRequest, pk: int) -> Referral:
    return get_visible_or_404(
        Referral.objects.select_related(
            "region", "sector", "referred_by", "accepted_by", "closed_by"
        ),
        request.user,
        pk=pk,
    )


def _show(
    request: AuthenticatedRequest,
    referral: Referral,
    *,
    outcome_form: OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_handle = Referral.objects.handled_by(request.user).filter(pk=referral.pk).exists()
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "can_handle": can_handle and referral.is_open,
            "outcome_form": outcome_form or OutcomeForm(),
            "referrer_view": referral.referred_by_id == request.user.pk,
        },
        status=status,
    )


@role_required(Role.CONSULTANT, *RECEIVERS)
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    audit_log(
        request=request, action=AuditAction.VIEW, obj=referral, subject_member_id=referral.member_id
    )
    return _show(request, referral)


@require_POST
@role_required(*RECEIVERS)
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    try:
        services.accept(referral=referral, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Je hebt de doorverwijzing opgepakt."))
    return redirect("referrals:detail", pk=pk)


@require_POST
@role_required(*RECEIVERS)
def complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.complete(
                referral=referral, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            form.add_error("outcome", error)
        else:
            messages.success(
                request, _("De doorverwijzing is afgerond. De consulent ziet de uitkomst.")
            )
            return redirect("referrals:detail", pk=pk)
    return _show(request, referral, outcome_form=form, status=400)


@role_required(*RECEIVERS)
def decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A page of its own: declining closes the referral, so it asks for the reason first."""
    referral = _referral(request, pk)
    if not Referral.objects.handled_by(request.user).filter(pk=pk).exists():
        raise Http404
    if not referral.is_open:
        messages.info(request, _("Deze doorverwijzing is al afgesloten."))
        return redirect("referrals:detail", pk=pk)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.decline(
                    referral=referral, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                messages.success(
                    request, _("De doorverwijzing is afgewezen. De consulent ziet de reden.")
                )
                return redirect("referrals:detail", pk=pk)
    return render(
        request, "referrals/decline.html", {"referral": referral, "form": form}, status=status
    )
