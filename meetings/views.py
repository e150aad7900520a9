"""Public pages (the list, a meeting, registering, cancelling by link) and the planners' pages
(coordinators for their regions, admins for all): plan, change, cancel, registrations and
attendance.

Meetings come through `Meeting.objects.visible_to(user)` (published ones for everyone) or, for
the planners' pages, `Meeting.objects.planned_by(user)`: out of scope is 404.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from core import bounds
from core.access import get_visible_or_404, role_required
from core.roles import Role, acting_as
from meetings import forms, services
from meetings.mail import when
from meetings.models import Meeting, Registration, RegistrationStatus, Theme
from members.http import AuthenticatedRequest
from members.models import Member, User
from regions.models import Region

LIST_LIMIT = 100
PAST_DAYS = 90  # past meetings on the planning page, for attendance
# Registrations by guests per address and hour: enough for a family or a union house's
# computer, too few to fill a meeting with made-up names. Counted per address only, so nobody
# can block another person's registration.
GUEST_REGISTRATIONS_PER_HOUR = 10


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _member_of(request: HttpRequest) -> Member | None:
    user = request.user
    if not isinstance(user, User) or not acting_as(user, Role.MEMBER):
        return None
    return Member.objects.filter(user=user).first()


def _public_meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related("union_house", "region", "employer").with_counts(),
        request.user,
        pk=pk,
    )


# --- public -----------------------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming published meetings, soonest first; filter by region and theme."""
    meetings = (
        Meeting.objects.visible_to(request.user)
        .public()
        .upcoming()
        .select_related("union_house", "region", "employer")
        .with_counts()
        .order_by("starts_at", "pk")
    )
    code = bounds.text_param(request.GET, "regio", max_length=4)
    region = Region.objects.with_code(code).first() if code else None
    if region is not None:
        meetings = meetings.filter(region=region)
    theme = bounds.text_param(request.GET, "thema", max_length=20)
    if theme not in Theme.values:
        theme = ""
    if theme:
        meetings = meetings.filter(theme=theme)
    rows = [(meeting, when(meeting)) for meeting in meetings[:LIST_LIMIT]]
    return render(
        request,
        "meetings/list.html",
        {
            "rows": rows,
            "regions": Region.objects.order_by("name"),
            "region": region,
            "themes": Theme.choices,
            "theme": theme,
        },
    )


def _own_registration(request: HttpRequest, meeting: Meeting) -> Registration | None:
    if not acting_as(request.user, Role.MEMBER):
        return None
    return (
        Registration.objects.visible_to(request.user)
        .active()
        .filter(meeting=meeting)
        .select_related("meeting")
        .first()
    )


def _detail(
    request: HttpRequest, meeting: Meeting, form: forms.GuestRegistrationForm | None, status: int
) -> HttpResponse:
    registration = _own_registration(request, meeting)
    member = _member_of(request)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "when": when(meeting),
            "registration": registration,
            "registered": registration is not None
            and registration.status == RegistrationStatus.REGISTERED,
            "is_member": member is not None,
            "form": form if member is None else None,
            "full": meeting.registered_count >= meeting.capacity,  # type: ignore[attr-defined]  # annotated by with_counts
            "can_plan": Meeting.objects.planned_by(request.user).filter(pk=meeting.pk).exists(),
            "login_url": reverse("account_login") + "?" + urlencode({"next": request.path}),
        },
        status=status,
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _public_meeting(request, pk)
    return _detail(request, meeting, forms.GuestRegistrationForm(), 200)


def _address_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return "meetings:guest:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _guest_rate_limited(request: HttpRequest) -> bool:
    key = _address_key(request)
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count > GUEST_REGISTRATIONS_PER_HOUR


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """A member registers with one click; anyone else with name, e-mail and consent."""
    meeting = _public_meeting(request, pk)
    if _member_of(request) is not None:
        try:
            registration = services.register_member(by=request.user, meeting=meeting)  # type: ignore[arg-type]  # a member is a User
        except ValidationError as error:
            _errors(request, error)
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(
                    request,
                    _(
                        "De bijeenkomst is vol. Je staat op de wachtlijst en krijgt een mail "
                        "als er een plaats vrijkomt."
                    ),
                )
            else:
                messages.success(request, _("Je bent aangemeld. De bevestiging staat in je mail."))
        return redirect("meetings:detail", pk=meeting.pk)
    form = forms.GuestRegistrationForm(request.POST)
    if not form.is_valid():
        return _detail(request, meeting, form, 200)
    if _guest_rate_limited(request):
        form.add_error(
            None, _("Te veel aanmeldingen vanaf dit adres. Probeer het over een uur opnieuw.")
        )
        return _detail(request, meeting, form, 429)
    try:
        services.register_guest(
            meeting=meeting,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            consent=form.cleaned_data["consent"],
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _detail(request, meeting, form, 200)
    return redirect("meetings:registered", pk=meeting.pk)


def registered(request: HttpRequest, pk: int) -> HttpResponse:
    """After a guest's registration: the same answer for everyone (look in your mail)."""
    meeting = _public_meeting(request, pk)
    return render(request, "meetings/registered.html", {"meeting": meeting, "when": when(meeting)})


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The cancellation link from the mail: GET asks to confirm, POST cancels."""
    registration = services.registration_for_token(token)
    if registration is None:
        raise Http404
    meeting = registration.meeting
    context = {"registration": registration, "meeting": meeting, "when": when(meeting)}
    if registration.status == RegistrationStatus.CANCELLED:
        return render(request, "meetings/cancel.html", {**context, "state": "already"})
    if meeting.has_started or meeting.is_cancelled:
        return render(request, "meetings/cancel.html", {**context, "state": "closed"})
    if request.method == "POST":
        by = request.user if isinstance(request.user, User) else None
        try:
            services.registration_cancel(by=by, registration=registration)
        except ValidationError as error:
            _errors(request, error)
            return redirect("meetings:cancel", token=registration.token)
        return render(request, "meetings/cancel.html", {**context, "state": "done"})
    return render(request, "meetings/cancel.html", {**context, "state": "confirm"})


# --- planning ---------------------------------------------------------------------------------

PLANNERS = (Role.COORDINATOR, Role.ADMIN)


def _planned(request: AuthenticatedRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.planned_by(request.user)
        .select_related("union_house", "region", "employer", "organiser")
        .with_counts(),
        pk=pk,
    )


@role_required(*PLANNERS)
def planning(request: AuthenticatedRequest) -> HttpResponse:
    since = timezone.now() - datetime.timedelta(days=PAST_DAYS)
    meetings = (
        Meeting.objects.planned_by(request.user)
        .filter(ends_at__gte=since)
        .select_related("union_house", "region")
        .with_counts()
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    upcoming = [(m, when(m)) for m in meetings if m.ends_at > now]
    past = [(m, when(m)) for m in meetings if m.ends_at <= now][::-1]
    return render(request, "meetings/planning.html", {"upcoming": upcoming, "past": past})


@role_required(*PLANNERS)
def create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("De bijeenkomst is opgeslagen."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@role_required(*PLANNERS)
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _planned(request, pk)
    if meeting.is_cancelled:
        messages.error(request, _("Een geannuleerde bijeenkomst kun je niet meer wijzigen."))
        return redirect("meetings:manage", pk=meeting.pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(by=request.user, meeting=meeting, data=form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@role_required(*PLANNERS)
def manage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A planner's view of one meeting: the registrations (names, e-mail), attendance."""
    meeting = _planned(request, pk)
    registrations = list(
        meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("member__user")
        .order_by("status", "created_at", "pk")
    )
    audit_log(request=request, action=AuditAction.LIST, obj=meeting, detail="aanmeldingen")
    return render(
        request,
        "meetings/manage.html",
        {
            "meeting": meeting,
            "when": when(meeting),
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "cancelled_count": meeting.registrations.filter(
                status=RegistrationStatus.CANCELLED
            ).count(),
        },
    )


@role_required(*PLANNERS)
def cancel_meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _planned(request, pk)
    if request.method == "POST":
        try:
            told = services.meeting_cancel(by=request.user, meeting=meeting)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("De bijeenkomst is geannuleerd; %(n)s mensen krijgen bericht.") % {"n": told},
            )
        return redirect("meetings:manage", pk=meeting.pk)
    return render(
        request, "meetings/cancel_meeting.html", {"meeting": meeting, "when": when(meeting)}
    )


ATTENDANCE_VALUES = {"ja": True, "nee": False, "": None}


@role_required(*PLANNERS)
@require_POST
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _planned(request, pk)
    values: dict[int, bool | None] = {}
    for key in request.POST:
        if not key.startswith("aanwezig-"):
            continue
        registration_pk = bounds.int_param({"pk": key.removeprefix("aanwezig-")}, "pk")
        value = bounds.text_param(request.POST, key, max_length=3)
        if registration_pk is None or value not in ATTENDANCE_VALUES:
            messages.error(request, _("Kies bij iedereen ja, nee of onbekend."))
            return redirect("meetings:manage", pk=meeting.pk)
        values[registration_pk] = ATTENDANCE_VALUES[value]
    try:
        changed = services.attendance_record(by=request.user, meeting=meeting, attended=values)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Aanwezigheid opgeslagen (%(n)s gewijzigd).") % {"n": changed})
    return redirect("meetings:manage", pk=meeting.pk)
