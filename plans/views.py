"""Pages of the regioplannen: overview, writing with preview, review, versions, print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import bounds
from core.access import get_visible_or_404, role_required
from core.roles import Role
from members.http import AuthenticatedRequest
from plans import services
from plans.forms import CommentForm, DeadlineForm, NoteForm, PlanStartForm, SectionForm
from plans.models import (
    AUTHOR,
    TRANSITIONS,
    CommentStatus,
    PlanAction,
    PlanStatus,
    PlanVersion,
    RegionPlan,
    Section,
    SectionComment,
)
from plans.rendering import compare_texts, render_markdown
from plans.selectors import (
    is_region_coordinator,
    is_region_official,
    overdue_plans,
    start_by,
)
from regions.models import Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # the type checker's own package (dev extra)

PLAN_ROLES = (Role.REGIONAL_OFFICIAL, Role.COORDINATOR)


def _messages_from(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _plan(request: HttpRequest, pk: int) -> RegionPlan:
    return get_visible_or_404(RegionPlan.objects.select_related("region"), request.user, pk=pk)


# --- lists -------------------------------------------------------------------------------------


@require_GET
@role_required(Role.REGIONAL_OFFICIAL, Role.COORDINATOR, Role.ADMIN)
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """All 35 regions with the status of their plan for one year (status only, no text)."""
    # Unordered where order does not matter: the default ordering joins the regions table,
    # and planning that join cost more than running these small queries (bench/pages.py).
    plan_years = set(RegionPlan.objects.order_by().values_list("year", flat=True).distinct())
    year = bounds.int_param(request.GET, "jaar", minimum=2000, maximum=2100) or (
        max(plan_years) if plan_years else timezone.localdate().year
    )
    only_late = request.GET.get("achter") == "1"
    today = timezone.localdate()
    plans = {plan.region_id: plan for plan in RegionPlan.objects.filter(year=year).order_by()}
    late_ids = set(overdue_plans(today).filter(year=year).order_by().values_list("pk", flat=True))
    # A region without a plan is late once the day to have started next year's plan passed.
    not_started_late = year == today.year + 1 and today >= start_by(today.year)
    visible_ids = set(
        RegionPlan.objects.visible_to(request.user).order_by().values_list("pk", flat=True)
    )
    own_region_ids = set(request.user.regions.order_by().values_list("pk", flat=True))
    rows = []
    for region in Region.objects.order_by("code"):
        plan = plans.get(region.pk)
        late = plan.pk in late_ids if plan is not None else not_started_late
        if only_late and not late:
            continue
        rows.append(
            {
                "region": region,
                "plan": plan,
                "late": late,
                "linked": plan is not None and plan.pk in visible_ids,
                "own": region.pk in own_region_ids,
            }
        )
    counts = dict.fromkeys(PlanStatus.values, 0)
    for plan in plans.values():
        counts[plan.status] += 1
    context = {
        "year": year,
        "years": sorted(plan_years | {year - 1, year, year + 1}),
        "rows": rows,
        "status_counts": [(PlanStatus(s).label, n) for s, n in counts.items()],
        "missing": 35 - len(plans),
        "late_count": len(late_ids) + (35 - len(plans) if not_started_late else 0),
        "only_late": only_late,
        "my_plans": RegionPlan.objects.visible_to(request.user)
        .select_related("region")
        .order_by("-year", "region__name")[:50],
        "can_start": request.user.role == Role.REGIONAL_OFFICIAL,
    }
    return render(request, "plans/overview.html", context)


@require_GET
@role_required(Role.COORDINATOR)
def awaiting_review(request: AuthenticatedRequest) -> HttpResponse:
    plans = (
        RegionPlan.objects.awaiting_review_by(request.user)
        .select_related("region")
        .annotate(open_comments=Count("comments", filter=Q(comments__status=CommentStatus.OPEN)))
        .order_by("status_changed_at")
    )
    return render(request, "plans/awaiting.html", {"plans": plans})


# --- starting a plan ---------------------------------------------------------------------------


@role_required(Role.REGIONAL_OFFICIAL)
def start(request: AuthenticatedRequest) -> HttpResponse:
    form = PlanStartForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        previous = RegionPlan.objects.filter(region=region, year=year - 1).first()
        try:
            plan = services.plan_create(
                user=request.user,
                region=region,
                year=year,
                copy_from=previous if request.POST.get("copy") else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het regioplan is aangemaakt."))
            return redirect("plans:edit", pk=plan.pk)
    return render(request, "plans/start.html", {"form": form})


@require_POST
@role_required(Role.REGIONAL_OFFICIAL)
def next_year(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        new_plan = services.plan_start_next_year(user=request.user, plan=plan)
    except ValidationError as error:
        _messages_from(request, error)
        return redirect("plans:detail", pk=plan.pk)
    messages.success(
        request,
        _("Het regioplan %(year)s is begonnen met de tekst van dit jaar.")
        % {"year": new_plan.year},
    )
    return redirect("plans:edit", pk=new_plan.pk)


# --- one plan ----------------------------------------------------------------------------------


def _section_blocks(sections: dict, comments=None) -> list[dict]:
    by_section: dict[str, list] = {}
    for comment in comments or []:
        by_section.setdefault(comment.section, []).append(comment)
    return [
        {
            "key": section.value,
            "label": section.label,
            "html": render_markdown(sections.get(section.value, "")),
            "comments": by_section.get(section.value, []),
        }
        for section in Section
    ]


def _panel_context(plan: RegionPlan, version: PlanVersion | None) -> dict:
    """The frozen panel of a version, or for a plan still being written the figures of now."""
    if version is not None:
        return {
            "panel": version.panel,
            "panel_taken_at": version.panel_taken_at,
            "panel_since": version.panel_since,
            "panel_until": version.panel_until,
            "panel_frozen": True,
        }
    live = services.recent_data_panel(plan.region)
    return {
        "panel": live.figures,
        "panel_taken_at": live.taken_at,
        "panel_since": live.since,
        "panel_until": live.until,
        "panel_frozen": False,
    }


def _actions_for(user, plan: RegionPlan) -> list[tuple[str, StrOrPromise]]:
    is_author = is_region_official(user, plan.region_id)
    is_reviewer = is_region_coordinator(user, plan.region_id)
    wrote_it = user.pk in plan.author_ids()
    actions: list[tuple[str, StrOrPromise]] = []
    for action, (sources, _target, who) in TRANSITIONS.items():
        if plan.status not in sources:
            continue
        if (who == AUTHOR and is_author) or (who != AUTHOR and is_reviewer and not wrote_it):
            choice = PlanAction(action)
            actions.append((choice.value, choice.label))
    return actions


@require_GET
@role_required(*PLAN_ROLES)
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    user = request.user
    is_reviewer = is_region_coordinator(user, plan.region_id)
    comments = list(
        plan.comments.select_related("author", "resolved_by", "version").order_by("created_at")
    )
    versions = list(plan.versions.select_related("submitted_by").order_by("-number"))
    showing_version = versions[0] if versions and not plan.is_editable else None
    context = {
        "plan": plan,
        "blocks": _section_blocks(plan.sections or {}, comments),
        "open_comment_count": sum(1 for c in comments if c.status == CommentStatus.OPEN),
        "versions": versions,
        "actions": _actions_for(user, plan),
        "is_author": is_region_official(user, plan.region_id),
        "is_reviewer": is_reviewer,
        "wrote_it": user.pk in plan.author_ids(),
        "notes": plan.reviewer_notes.select_related("author") if is_reviewer else None,
        "comment_form": CommentForm(),
        "note_form": NoteForm(),
        "deadline_form": DeadlineForm(initial={"deadline": plan.deadline}),
        "can_comment": plan.status != PlanStatus.APPROVED,
        "next_year_exists": RegionPlan.objects.filter(
            region=plan.region, year=plan.year + 1
        ).exists(),
        **_panel_context(plan, showing_version),
    }
    return render(request, "plans/detail.html", context)


def _editable_plan_or_redirect(request: AuthenticatedRequest, pk: int):
    plan = _plan(request, pk)
    if plan.is_editable:
        return plan, None
    messages.error(
        request,
        _("Dit plan heeft de status ‘%(status)s’ en kan nu niet worden gewijzigd.")
        % {"status": plan.get_status_display()},
    )
    return plan, redirect("plans:detail", pk=plan.pk)


@require_GET
@role_required(Role.REGIONAL_OFFICIAL)
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The sections of the plan, each with its state, to write one at a time."""
    plan, refused = _editable_plan_or_redirect(request, pk)
    if refused:
        return refused
    open_counts = dict(
        plan.comments.filter(status=CommentStatus.OPEN)
        .values_list("section")
        .annotate(n=Count("pk"))
        .values_list("section", "n")
    )
    sections = plan.sections or {}
    rows = [
        {
            "section": section,
            "words": len(sections.get(section.value, "").split()),
            "open_comments": open_counts.get(section.value, 0),
        }
        for section in Section
    ]
    written = sum(1 for row in rows if row["words"])
    context = {"plan": plan, "rows": rows, "written": written, "total": len(rows)}
    return render(request, "plans/edit.html", context)


@role_required(Role.REGIONAL_OFFICIAL)
def edit_section(request: AuthenticatedRequest, pk: int, section: str) -> HttpResponse:
    """One section: its text, help, open comments, a preview and the data panel beside it.
    Saved with the button, and automatically while typing (htmx, `autosave`)."""
    if section not in Section.values:
        raise Http404
    plan, refused = _editable_plan_or_redirect(request, pk)
    if refused:
        return refused
    current = (plan.sections or {}).get(section, "")
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        section=Section(section),
        initial={"text": current, "seen": services.section_fingerprint(current)},
    )
    conflict_text = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save_section(
                user=request.user,
                plan=plan,
                section=section,
                text=form.cleaned_data["text"],
                seen=form.cleaned_data["seen"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
            if getattr(error, "code", "") == "conflict":
                plan.refresh_from_db()
                conflict_text = (plan.sections or {}).get(section, "")
                # Saving again now means: my text, knowing theirs.
                data = request.POST.copy()
                data["seen"] = services.section_fingerprint(conflict_text)
                form.data = data
        else:
            messages.success(request, _("De tekst is opgeslagen."))
            following = _following_section(section)
            if request.POST.get("next") and following:
                return redirect("plans:edit_section", pk=plan.pk, section=following.value)
            return redirect("plans:edit_section", pk=plan.pk, section=section)
    comments = plan.comments.filter(status=CommentStatus.OPEN, section=section).select_related(
        "author"
    )
    order = list(Section)
    index = order.index(Section(section))
    written = plan.sections or {}
    context = {
        "plan": plan,
        "form": form,
        "section": Section(section),
        # The outline beside the text: every section, which have text, and where we are.
        "outline": [(item, bool(written.get(item.value))) for item in order],
        "comments": comments,
        "conflict_text": conflict_text,
        "previous": order[index - 1] if index > 0 else None,
        "following": _following_section(section),
        "position": index + 1,
        "total": len(order),
        **_panel_context(plan, None),
    }
    return render(request, "plans/edit_section.html", context)


def _following_section(section: str) -> Section | None:
    order = list(Section)
    index = order.index(Section(section))
    return order[index + 1] if index + 1 < len(order) else None


@require_POST
@role_required(Role.REGIONAL_OFFICIAL)
def autosave(request: AuthenticatedRequest, pk: int, section: str) -> HttpResponse:
    """htmx: save one section while its author types; answers with a status line (and the new
    fingerprint, swapped into the form out of band). Never a 4xx for a person to read: the
    line says what happened."""
    if section not in Section.values:
        raise Http404
    plan = _plan(request, pk)
    form = SectionForm(request.POST, section=Section(section))
    context: dict = {"section": section}
    if not form.is_valid():
        context["error"] = " ".join(
            str(message) for messages_ in form.errors.values() for message in messages_
        )
    else:
        try:
            context["seen"] = services.plan_save_section(
                user=request.user,
                plan=plan,
                section=section,
                text=form.cleaned_data["text"],
                seen=form.cleaned_data["seen"] or None,
                autosave=True,
            )
            context["saved_at"] = timezone.localtime()
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
    return render(request, "plans/_autosave.html", context)


@require_POST
@role_required(Role.REGIONAL_OFFICIAL)
def preview(request: AuthenticatedRequest) -> HttpResponse:
    """The htmx preview of one section: the same sanitised rendering as the plan page."""
    section = request.POST.get("section", "")
    if section not in Section.values:
        return HttpResponse(status=400)
    # The section's own page posts "text"; a form of several sections posts by section name.
    text = request.POST.get("text", request.POST.get(section, ""))[: services.MAX_SECTION_LENGTH]
    return render(request, "plans/_preview.html", {"html": render_markdown(text)})


@require_POST
@role_required(*PLAN_ROLES)
def transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    action = request.POST.get("action", "")
    try:
        plan = services.plan_transition(user=request.user, plan=plan, action=action)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("Het plan heeft nu de status ‘%(status)s’.") % {"status": plan.get_status_display()},
        )
    return redirect("plans:detail", pk=plan.pk)


@require_POST
@role_required(*PLAN_ROLES)
def comment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                user=request.user,
                plan=plan,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Je opmerking is geplaatst."))
            return redirect(f"{plan_url(plan)}#onderdeel-{comment.section}")
    else:
        messages.error(request, _("Kies een onderdeel en schrijf een opmerking."))
    return redirect("plans:detail", pk=plan.pk)


def plan_url(plan: RegionPlan) -> str:
    return reverse("plans:detail", kwargs={"pk": plan.pk})


@require_POST
@role_required(*PLAN_ROLES)
def comment_resolve(request: AuthenticatedRequest, pk: int, comment_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    comment = get_object_or_404(SectionComment, plan=plan, pk=comment_pk)
    try:
        services.comment_resolve(user=request.user, comment=comment)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("De opmerking is afgehandeld."))
    return redirect(f"{plan_url(plan)}#onderdeel-{comment.section}")


@require_POST
@role_required(Role.COORDINATOR)
def note_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(user=request.user, plan=plan, text=form.cleaned_data["text"])
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Je notitie is bewaard."))
    else:
        messages.error(request, _("Schrijf eerst een notitie."))
    return redirect(f"{plan_url(plan)}#notities")


@require_POST
@role_required(Role.COORDINATOR)
def set_deadline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.plan_set_deadline(
                user=request.user,
                region=plan.region,
                year=plan.year,
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("De deadline is gezet."))
    else:
        bounds.form_error_messages(request, form, deadline=_("Vul een geldige datum in."))
    return redirect("plans:detail", pk=plan.pk)


@require_POST
@role_required(Role.COORDINATOR)
def region_deadline(request: AuthenticatedRequest) -> HttpResponse:
    """From the overview: a deadline for one of the coordinator's regions, plan or no plan yet."""
    region = get_object_or_404(request.user.regions.with_code(request.POST.get("region", "")))
    form = DeadlineForm(request.POST)
    year = bounds.int_param(request.POST, "year") or 0
    if not form.is_valid():
        bounds.form_error_messages(request, form, deadline=_("Vul een geldige datum in."))
    elif not 2023 <= year <= 2100:
        messages.error(request, _("Vul een geldige datum in."))
    else:
        try:
            services.plan_set_deadline(
                user=request.user,
                region=region,
                year=year,
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(
                request,
                _("De deadline voor %(region)s is gezet.") % {"region": region.name},
            )
    return redirect(f"{reverse('plans:overview')}?jaar={year or ''}")


# --- versions ----------------------------------------------------------------------------------


@require_GET
@role_required(*PLAN_ROLES)
def version_detail(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    plan = _plan(request, pk)
    version = get_object_or_404(plan.versions.select_related("submitted_by"), number=number)
    context = {
        "plan": plan,
        "version": version,
        "blocks": _section_blocks(version.sections),
        **_panel_context(plan, version),
    }
    return render(request, "plans/version.html", context)


@require_GET
@role_required(*PLAN_ROLES)
def compare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Two versions side by side, the words that changed marked with <del> and <ins>."""
    plan = _plan(request, pk)
    versions = list(plan.versions.select_related("submitted_by").order_by("number"))
    by_number = {version.number: version for version in versions}
    old = new = None
    if len(versions) >= 2:
        try:
            old = by_number[int(request.GET["a"])]
            new = by_number[int(request.GET["b"])]
        except (KeyError, ValueError):
            old, new = versions[-2], versions[-1]
    rows = []
    if old is not None and new is not None:
        for section in Section:
            # Bounded work per section (plans.rendering.WORK_BUDGET), whatever the texts.
            comparison = compare_texts(
                old.sections.get(section.value, ""), new.sections.get(section.value, "")
            )
            rows.append(
                {
                    "label": section.label,
                    "old": comparison.left,
                    "new": comparison.right,
                    "changed": comparison.changed,
                    "coarse": comparison.coarse,
                }
            )
    context = {
        "plan": plan,
        "versions": versions,
        "old": old,
        "new": new,
        "rows": rows,
        "changed_count": sum(1 for row in rows if row["changed"]),
        "panel_changed": old is not None and new is not None and old.panel != new.panel,
    }
    return render(request, "plans/compare.html", context)


@require_GET
@role_required(*PLAN_ROLES)
def print_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The plan on paper: its latest text, or the submitted version it is frozen in."""
    plan = _plan(request, pk)
    version = plan.latest_version if not plan.is_editable else None
    sections = version.sections if version is not None else (plan.sections or {})
    context = {
        "plan": plan,
        "version": version,
        "blocks": _section_blocks(sections),
        "printed_at": timezone.now(),
        **_panel_context(plan, version),
    }
    return render(request, "plans/print.html", context)
