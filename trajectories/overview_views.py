"""Collective cases and the coordinators' aggregated outcomes: counts only, never names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import get_visible_or_404, role_required
from core.roles import Role
from members.http import AuthenticatedRequest
from trajectories import forms, services
from trajectories.models import CollectiveCase, Trajectory
from trajectories.selectors import figures_per_adviser, outcome_figures


@role_required(Role.ADVISER, Role.COORDINATOR)
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    cases = CollectiveCase.objects.visible_to(request.user).select_related("employer", "region")
    rows = [
        (case, outcome_figures(Trajectory.objects.filter(collective_case=case))) for case in cases
    ]
    return render(request, "trajectories/case_list.html", {"rows": rows})


@role_required(Role.ADVISER, Role.COORDINATOR)
def case_new(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.CollectiveCaseForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.collective_case_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("De collectieve zaak is aangemaakt."))
            return redirect("trajectories:case_detail", pk=case.pk)
    return render(request, "trajectories/case_new.html", {"form": form})


@role_required(Role.ADVISER, Role.COORDINATOR)
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_visible_or_404(
        CollectiveCase.objects.select_related("employer", "region"), request.user, pk=pk
    )
    figures = outcome_figures(Trajectory.objects.filter(collective_case=case))
    return render(request, "trajectories/case_detail.html", {"case": case, "figures": figures})


@role_required(Role.COORDINATOR)
def outcomes(request: AuthenticatedRequest) -> HttpResponse:
    """Aggregated outcomes of the coordinator's regions: per region, collective case, adviser."""
    regions = request.user.regions.order_by("name")
    in_scope = Trajectory.objects.filter(region__in=regions)
    context = {
        "per_region": [
            (region, outcome_figures(in_scope.filter(region=region))) for region in regions
        ],
        "per_case": [
            (case, outcome_figures(in_scope.filter(collective_case=case)))
            for case in CollectiveCase.objects.visible_to(request.user)
        ],
        "per_adviser": figures_per_adviser(in_scope),
    }
    return render(request, "trajectories/outcomes.html", context)


@role_required(Role.COORDINATOR)
def coordinator_trajectories(request: AuthenticatedRequest) -> HttpResponse:
    """Running trajectories of the coordinator's regions by number and adviser, to hand one
    over to another adviser. No participant names."""
    trajectories = (
        Trajectory.objects.reassignable_by(request.user)
        .running()
        .select_related("adviser", "region")
        .order_by("adviser__full_name", "pk")
    )
    return render(
        request, "trajectories/coordinator_trajectories.html", {"trajectories": trajectories}
    )
