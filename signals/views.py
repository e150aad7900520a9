"""Views of the signals app: logging sessions, employers, signals, inbox and dashboards."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from core import bounds, registry
from core.access import get_visible_or_404, role_required
from core.figures import min_group_size
from core.roles import Role
from members.http import AuthenticatedRequest
from members.models import Employer, Member
from regions.map import build_map
from regions.models import Region
from signals import services
from signals.charts import bar_chart
from signals.forms import (
    NEW_EMPLOYER,
    ActForm,
    MergeForm,
    PreferenceForm,
    SessionForm,
    SignalFilterForm,
)
from signals.history import score_explanation, signal_history
from signals.models import (
    Consent,
    ConsentScope,
    ConsultationSession,
    NotificationPreference,
    Signal,
    SignalNotification,
    Theme,
    ThemeGroup,
)
from signals.selectors import (
    SignalRow,
    employer_search,
    region_theme_months,
    signal_counts_by_region,
    signal_evidence,
    signal_rows,
    suppress,
)

SIGNAL_ROLES = (Role.SECTOR_OFFICIAL, Role.COORDINATOR, Role.ADMIN)

# --- sessions ---------------------------------------------------------------------------------


def _themes_grouped():
    themes = list(Theme.objects.filter(is_active=True))
    return [(label, [t for t in themes if t.group == value]) for value, label in ThemeGroup.choices]


def _save_session(
    form: SessionForm, request: AuthenticatedRequest, session=None
) -> ConsultationSession:
    data = form.cleaned_data
    employer = form.employer_obj
    if data.get("employer") == NEW_EMPLOYER:
        employer = services.employer_propose(
            name=data["new_employer_name"],
            kvk_number=data.get("new_employer_kvk", ""),
            sector=data.get("sector"),
            by=request.user,
        )
    details = services.SessionDetails(
        at=data["at"],
        place=data["place"],
        union_house=data.get("union_house"),
        kind=data["kind"],
        member=form.member,
        employer=employer,
        sector=data.get("sector"),
        themes=list(data["themes"]),
        summary=data.get("summary", ""),
        referrals=data.get("referrals", []),
        referral_consent=data.get("referral_consent", False),
        consent_to_share=data.get("consent_to_share", False),
        consent_to_contact=data.get("consent_to_contact", False),
        follow_up_needed=data.get("follow_up_needed", False),
    )
    if session is None:
        return services.session_log(consultant=request.user, details=details)
    return services.session_update(session=session, by=request.user, details=details)


def _session_form_page(request, form, session=None) -> HttpResponse:
    employer = form.employer_obj or (session.employer if session else None)
    # The first useful field: place and kind have their usual values, date and time are "now".
    attrs = form.fields["member_number"].widget.attrs
    attrs["data-first-field"] = ""
    if session is None and not form.is_bound:
        attrs["autofocus"] = True
    return render(
        request,
        "signals/session_form.html",
        {
            "form": form,
            "session": session,
            # A new session happens now: the date and time fold to "Nu (…)" (with JavaScript).
            "collapse_when": session is None and "at" not in form.errors,
            "theme_groups": _themes_grouped(),
            # The ticked themes, read once (not twice for each of the themes in the template).
            "chosen_themes": {
                str(getattr(value, "pk", value)) for value in form["themes"].value() or ()
            },
            "chosen_employer": employer,
            "employer_results": form.employer_results,
        },
    )


@never_cache
@role_required(Role.CONSULTANT)
def session_new(request: AuthenticatedRequest) -> HttpResponse:
    form = SessionForm(request.POST if request.method == "POST" else None, consultant=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _save_session(form, request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het gesprek is vastgelegd."))
            return redirect("signals:session_new")
    return _session_form_page(request, form)


@never_cache
@role_required(Role.CONSULTANT)
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        ConsultationSession.objects.visible_to(request.user).correctable_by(request.user), pk=pk
    )
    if request.method == "POST":
        form = SessionForm(request.POST, consultant=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    _save_session(form, request, session)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Het gesprek is bijgewerkt."))
                return redirect("signals:session_list")
    else:
        audit_log(
            request=request,
            action=AuditAction.VIEW,
            obj=session,
            subject_member_id=session.member_id,
        )
        form = SessionForm(
            initial={
                "at": timezone.localtime(session.at).replace(second=0, microsecond=0),
                "place": session.place,
                "union_house": session.union_house_id,
                "kind": session.kind,
                "member_number": session.member.member_number if session.member else "",
                "not_a_member": not session.is_member,
                "employer": session.employer_id or "",
                "sector": session.sector_id,
                "themes": list(session.themes.values_list("pk", flat=True)),
                "summary": session.summary,
                "referrals": session.referrals,
                "consent_to_share": session.active_consent() is not None,
                "consent_to_contact": session.active_consent("contact_collective") is not None,
                "follow_up_needed": session.follow_up_needed,
            },
            consultant=request.user,
        )
    return _session_form_page(request, form, session)


@never_cache
@role_required(Role.CONSULTANT, Role.ADMIN)
def session_list(request: AuthenticatedRequest) -> HttpResponse:
    sessions = (
        ConsultationSession.objects.visible_to(request.user)
        .select_related("employer", "member", "union_house")
        .prefetch_related("themes", "consents")[:100]
    )
    audit_log(request=request, action=AuditAction.LIST, object_type="signals.consultationsession")
    return render(request, "signals/session_list.html", {"sessions": sessions})


@require_POST
@role_required(Role.CONSULTANT, Role.ADMIN)
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(ConsultationSession.objects, request.user, pk=pk)
    services.consent_withdraw(session=session, by=request.user)
    messages.success(request, _("De toestemming is ingetrokken."))
    return redirect("signals:session_list")


# --- employers --------------------------------------------------------------------------------


@role_required(Role.CONSULTANT, Role.ADMIN)
def employer_search_view(request: AuthenticatedRequest) -> HttpResponse:
    """The htmx autocomplete: radio buttons, so the keyboard alone can choose."""
    query = bounds.text_param(request.GET, "employer_query") or bounds.text_param(request.GET, "q")
    return render(
        request,
        "members/_employer_results.html",
        {
            "employer_results": employer_search(query),
            "query": query,
            "none_found": _("Geen werkgever gevonden. Stel hieronder een nieuwe voor."),
        },
    )


@never_cache
@role_required(Role.ADMIN)
def employer_review(request: AuthenticatedRequest) -> HttpResponse:
    proposed = (
        Employer.objects.filter(is_confirmed=False, merged_into__isnull=True)
        .select_related("sector", "proposed_by")
        .annotate(session_count=Count("consultation_sessions"))
        .order_by("created_at")
    )
    rows = [(e, employer_search(e.name, limit=5)) for e in proposed[:50]]
    return render(request, "signals/employer_review.html", {"rows": rows})


@require_POST
@role_required(Role.ADMIN)
def employer_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer, pk=pk)
    try:
        services.employer_confirm(employer=employer, by=request.user)
        messages.success(request, _("%(name)s is bevestigd.") % {"name": employer.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("signals:employer_review")


@require_POST
@role_required(Role.ADMIN)
def employer_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Employer, pk=pk)
    form = MergeForm({"target": request.POST.get("target_other") or request.POST.get("target")})
    if form.is_valid():
        try:
            target = services.employer_merge(
                source=source, target=form.cleaned_data["target"], by=request.user
            )
            messages.success(
                request,
                _("%(source)s is samengevoegd met %(target)s.")
                % {"source": source.name, "target": target.name},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Kies een bevestigde werkgever om mee samen te voegen."))
    return redirect("signals:employer_review")


# --- signals ----------------------------------------------------------------------------------


SIGNALS_PER_PAGE = 25


def _grouped_by_employer(rows) -> list[list[int]]:
    """The ids of (id, employer id) rows in list order, a group per employer (standing where its
    first signal stood); a signal without an employer is a group of its own."""
    groups: dict[tuple[str, int], list[int]] = {}
    for pk, employer_id in rows:
        key = ("employer", employer_id) if employer_id else ("signal", pk)
        groups.setdefault(key, []).append(pk)
    return list(groups.values())


@never_cache
@role_required(*SIGNAL_ROLES)
def signal_list(request: AuthenticatedRequest) -> HttpResponse:
    """Grouped and paged by id and employer only; the signals of the page alone are read, as
    rows with their names (signals.selectors.signal_rows). A sector official with 456 signals
    (bench/pages.py, 2 Dec 2026) waited for all of them to be built with their rule, employer,
    theme, region and sector, 70 ms a request, to see 25 groups."""
    visible = Signal.objects.visible_to(request.user)
    filters = SignalFilterForm(request.GET, signals=visible)
    ordered = filters.apply(visible).open_first().values_list("pk", "employer_id")
    number = bounds.int_param(request.GET, "pagina", minimum=1) or 1
    page = Paginator(_grouped_by_employer(ordered[:1000]), SIGNALS_PER_PAGE).get_page(number)
    shown = signal_rows([pk for group in page for pk in group])  # ids read from `visible`
    groups: list[dict[str, Any]] = []
    listed: list[SignalRow] = []
    for ids in page:
        members = [shown[pk] for pk in ids if pk in shown]  # one may have gone since
        if members:
            groups.append({"employer_name": members[0].employer_name, "signals": members})
            listed.extend(members)
    page.object_list = cast(Any, groups)  # the page shows the loaded groups
    filter_query = filters.query()
    return render(
        request,
        "signals/signal_list.html",
        {
            "filters": filters,
            "page": page,
            "signals": listed,
            "filter_query": filter_query,
            "filtered": bool(filter_query),
        },
    )


@never_cache
@role_required(*SIGNAL_ROLES)
def signal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    signal = get_visible_or_404(
        Signal.objects.select_related("rule", "employer", "theme", "region", "sector"),
        request.user,
        pk=pk,
    )
    evidence = signal_evidence(signal, viewer=request.user)
    audit_log(request=request, action=AuditAction.VIEW, obj=signal, detail="signal evidence")
    for session in evidence.shared:
        audit_log(
            request=request,
            action=AuditAction.VIEW,
            obj=session,
            subject_member_id=session.member_id,
            detail="shared with consent",
        )
    # Reading a page writes nothing but its audit entry: the person marks what they read.
    unread = SignalNotification.objects.filter(
        signal=signal, recipient=request.user, read_at__isnull=True
    ).count()
    week_labels = [dt.date.fromisoformat(c.label).strftime("%d-%m") for c in evidence.weeks]
    return render(
        request,
        "signals/signal_detail.html",
        {
            "signal": signal,
            "unread": unread,
            "evidence": evidence,
            "chart": bar_chart(evidence.weeks, labels=week_labels),
            "score_text": score_explanation(signal),
            "history": signal_history(signal),
            "act_form": ActForm(),
            "min_group_size": min_group_size(),
            # what other parts of the portal offer on a signal (a collective case)
            "signal_actions": registry.signal_actions(signal, user=request.user),
        },
    )


@require_POST
@role_required(*SIGNAL_ROLES)
def signal_act(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    signal = get_visible_or_404(Signal.objects, request.user, pk=pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))  # a str already; the stubs allow ValidationError
        return redirect("signals:signal", pk=signal.pk)
    step, data = form.cleaned_data["step"], form.cleaned_data
    try:
        if step == "acknowledge":
            services.signal_acknowledge(signal=signal, by=request.user)
        elif step == "start":
            services.signal_start(signal=signal, by=request.user, action=data["action"])
        elif step == "close":
            services.signal_close(signal=signal, by=request.user, outcome=data["text"])
        else:
            services.signal_dismiss(signal=signal, by=request.user, reason=data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het signaal is bijgewerkt."))
    return redirect("signals:signal", pk=signal.pk)


@require_POST
@role_required(*SIGNAL_ROLES)
def signal_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    signal = get_visible_or_404(Signal.objects, request.user, pk=pk)
    services.notifications_mark_read(user=request.user, signal=signal)
    if request.POST.get("next") == "inbox":
        return redirect("signals:inbox")
    return redirect("signals:signal", pk=signal.pk)


@never_cache
@role_required(*SIGNAL_ROLES)
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"daily_digest": preference.daily_digest},
    )
    if request.method == "POST" and form.is_valid():
        preference.daily_digest = form.cleaned_data["daily_digest"]
        preference.save(update_fields=["daily_digest"])
        messages.success(request, _("Je voorkeur is opgeslagen."))
        return redirect("signals:inbox")
    notifications = (
        SignalNotification.objects.for_user(request.user)
        .select_related("signal", "signal__rule", "signal__employer", "signal__theme")
        .select_related("signal__region", "signal__sector")[:100]
    )
    return render(request, "signals/inbox.html", {"notifications": notifications, "form": form})


# --- dashboards -------------------------------------------------------------------------------


def _visible_regions(user):
    if user.role == Role.ADMIN:
        return Region.objects.all()
    return user.regions.all()


@never_cache
@role_required(Role.COORDINATOR, Role.ADMIN)
def region_page(request: AuthenticatedRequest, code: str) -> HttpResponse:
    region = get_object_or_404(_visible_regions(request.user).with_code(code))
    today = timezone.localdate()
    months, table = region_theme_months(region, until=today)
    per_month = dict(
        ConsultationSession.objects.filter(region=region, day__gte=months[0], day__lte=today)
        .annotate(month=TruncMonth("day"))
        .values_list("month")
        .annotate(n=Count("id"))
    )
    month_cells = suppress([(m.isoformat(), per_month.get(m, 0)) for m in months])
    signals = (
        Signal.objects.visible_to(request.user)
        .filter(Q(region=region) | Q(sessions__region=region))
        .distinct()
        .active()
        .select_related("rule", "employer", "theme", "region", "sector")
    )
    labels = [m.strftime("%m-%Y") for m in months]
    return render(
        request,
        "signals/region_page.html",
        {
            "region": region,
            "months": labels,
            "table": table,
            "chart": bar_chart(month_cells, labels=labels),
            "signals": signals[:100],
            "min_group_size": min_group_size(),
        },
    )


@never_cache
@role_required(*SIGNAL_ROLES)
def national_map(request: AuthenticatedRequest) -> HttpResponse:
    since = timezone.now() - dt.timedelta(days=365)
    signal_counts = signal_counts_by_region(since=since)
    member_counts = dict(
        Member.objects.active()
        .filter(region__isnull=False)
        .values_list("region")
        .annotate(n=Count("id"))
    )
    own_regions = set(_visible_regions(request.user).values_list("pk", flat=True))
    if request.user.role not in (Role.COORDINATOR, Role.ADMIN):
        own_regions = set()
    rates = {}
    for region_id, members in member_counts.items():
        if members:
            rates[region_id] = signal_counts.get(region_id, 0) * 10_000 / members
    top = max(rates.values(), default=0)
    rows, shapes = [], []
    for region in Region.objects.with_boundary().order_by("code"):
        rate = rates.get(region.pk, 0.0)
        level = 0 if rate == 0 or top == 0 else min(4, 1 + int(4 * rate / top - 1e-9))
        url = (
            reverse("signals:region", kwargs={"code": region.code})
            if region.pk in own_regions
            else region.get_absolute_url()
        )
        label = _("%(name)s: %(rate)s signalen per 10.000 leden") % {
            "name": region.name,
            "rate": f"{rate:.1f}".replace(".", ","),
        }
        shapes.append(
            {
                "code": region.code,
                "name": region.name,
                "boundary": region.boundary,
                "url": url,
                "css_class": f"level-{level}" if level else "",
                "label": label,
            }
        )
        rows.append(
            (region, signal_counts.get(region.pk, 0), member_counts.get(region.pk, 0), rate)
        )
    return render(
        request,
        "signals/national_map.html",
        {
            "map": build_map(shapes),
            "rows": rows,
            "map_title": _("Signalen per 10.000 leden"),
        },
    )


# --- the member's own consents ------------------------------------------------------------------


@never_cache
@role_required(Role.MEMBER)
def my_consents(request: AuthenticatedRequest) -> HttpResponse:
    """What the member allowed the union to share with a sector official, and a way to stop it."""
    consents = Consent.objects.visible_to(request.user).select_related(
        "session", "session__employer", "recipient_sector"
    )
    audit_log(request=request, action=AuditAction.LIST, object_type="signals.consent")
    return render(request, "signals/my_consents.html", {"consents": consents})


@require_POST
@role_required(Role.MEMBER)
def my_consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = get_visible_or_404(Consent.objects.active(), request.user, pk=pk)
    services.consent_withdraw(session=consent.session, by=request.user, scope=consent.scope)
    if consent.scope == ConsentScope.CONTACT_COLLECTIVE:
        messages.success(
            request,
            _(
                "Je toestemming is ingetrokken. De sectorbestuurder nodigt je vanaf nu niet meer uit voor collectieve actie."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Je toestemming is ingetrokken. Vanaf nu ziet de sectorbestuurder je naam en samenvatting niet meer."
            ),
        )
    return redirect("signals:my_consents")
