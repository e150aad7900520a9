"""Pages of Loopbaan FNV: booking (members), agenda and reports (consultants), occupancy
(coordinators)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_log
from core import bounds
from core.access import get_visible_or_404, role_required
from core.roles import Role
from loopbaan import services
from loopbaan.forms import AvailabilityForm, BlockedDayForm, ConfirmForm, ReportForm, WeeklyMaxForm
from loopbaan.mail import build_ics, manage_url
from loopbaan.models import (
    Appointment,
    AppointmentReport,
    AppointmentStatus,
    Availability,
    BlockedDay,
    knob,
)
from loopbaan.slots import (
    Slot,
    bookable_window,
    free_consultants_at,
    local_tz,
    next_free_slots,
    parse_place_key,
    parse_slot_key,
    search_slots,
    union_houses_nearest_first,
)
from members.http import AuthenticatedRequest
from regions.models import UnionHouse


def _member_of(request: HttpRequest):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    return member


def place_or_404(place: str) -> tuple[int | None, UnionHouse | None]:
    union_house_id = parse_place_key(place)
    if union_house_id is False:
        raise Http404
    if union_house_id is None:
        return None, None
    house = get_object_or_404(UnionHouse.objects.hosting_career_hours(), pk=union_house_id)
    return house.pk, house


def slot_or_404(union_house_id: int | None, key: str) -> Slot:
    starts_at = parse_slot_key(key)
    if starts_at is None:
        raise Http404
    return Slot(union_house_id, starts_at)


# --- the week view of free times (#15 item 4) ------------------------------------------------


@dataclass(frozen=True)
class WeekDay:
    day: date
    slots: list[tuple[Slot, str]]  # a free time and the address of its confirm page


def move_targets(appointment, union_house_id: int | None) -> list:
    """The free slots an appointment can move to at a place: all but its own time there."""
    return [
        s
        for s in search_slots(union_house_id=union_house_id, exclude_appointment_id=appointment.pk)
        if s.starts_at != appointment.starts_at or union_house_id != appointment.union_house_id
    ]


def week_view(
    request: HttpRequest, slots: list[Slot], slot_url: Callable[[Slot], str]
) -> dict[str, Any]:
    """One week of free times: the week asked for (?week=YYYY-MM-DD, any day in it), else the
    first week with a free time. Monday to Friday always, the weekend only when it has times;
    previous and next week within the booking window."""
    first, last = bookable_window()
    # The first week offered: the week of the first free time. The booking window may start
    # in an earlier week (on a Thursday, with the first free time next Monday): a "previous
    # week" link to a week with nothing to book only sends the member back and forth.
    first_monday = max(
        _monday(timezone.localdate(first)),
        _monday(slots[0].local_start.date()) if slots else date.min,
    )
    last_monday = max(_monday(timezone.localdate(last)), first_monday)
    asked = bounds.date_param(request.GET, "week", bounds=bounds.SLOT)
    monday = _monday(asked) if asked is not None else first_monday
    monday = min(max(monday, first_monday), last_monday)
    sunday = monday + timedelta(days=6)
    in_week: dict[date, list[tuple[Slot, str]]] = {}
    for slot in slots:
        day = slot.local_start.date()
        if monday <= day <= sunday:
            in_week.setdefault(day, []).append((slot, slot_url(slot)))
    days = [
        WeekDay(monday + timedelta(days=offset), in_week.get(monday + timedelta(days=offset), []))
        for offset in range(7)
    ]
    days = [d for d in days if d.day.weekday() < 5 or d.slots]
    later = next((s for s in slots if s.local_start.date() > sunday), None)
    return {
        "week_days": days,
        "week_first": monday,
        "week_last": sunday,
        "week_columns": len(days),
        "week_has_slots": bool(in_week),
        "week_previous": monday - timedelta(days=7) if monday > first_monday else None,
        "week_next": monday + timedelta(days=7) if monday < last_monday else None,
        "week_next_free": _monday(later.local_start.date()) if later else None,
        "any_slots": bool(slots),
    }


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def place_links(places: list[Any], url: Callable[[str], str]) -> list[tuple[str, str]]:
    """Online first, then the union houses (nearest first): (label, address of its times)."""
    return [(_("Online"), url("online"))] + [(p.label, url(p.key)) for p in places]


def slot_links(slots: list[Slot], url: Callable[[Slot], str]) -> list[tuple[Slot, str]]:
    return [(s, url(s)) for s in slots]


# --- the open-appointments limit, shown before the first click -------------------------------


def open_appointments_context(member: Any) -> dict[str, Any]:
    """The member's upcoming open appointments (soonest first) and whether the limit is
    reached: the booking pages show these instead of a time picker when it is."""
    upcoming = list(
        Appointment.objects.filter(member=member)
        .upcoming()
        .select_related("union_house")
        .order_by("starts_at")
    )
    maximum = knob("MAX_OPEN_PER_MEMBER")
    return {
        "open_appointments": upcoming,
        "open_count": len(upcoming),
        "open_maximum": maximum,
        "limit_reached": len(upcoming) >= maximum,
        "cutoff_hours": knob("CHANGE_CUTOFF_HOURS"),
    }


def _limit_page(request: HttpRequest, member: Any) -> HttpResponse:
    return render(request, "loopbaan/limit.html", open_appointments_context(member))


# --- member: booking -----------------------------------------------------------------------


@role_required(Role.MEMBER)
def book_place(request: AuthenticatedRequest) -> HttpResponse:
    member = _member_of(request)
    limit = open_appointments_context(member)
    if limit["limit_reached"]:
        return _limit_page(request, member)
    places = union_houses_nearest_first(member)
    return render(request, "loopbaan/book_place.html", {"places": places, **limit})


@role_required(Role.MEMBER)
def book_slots(request: AuthenticatedRequest, place: str) -> HttpResponse:
    member = _member_of(request)
    union_house_id, house = place_or_404(place)
    limit = open_appointments_context(member)
    if limit["limit_reached"]:
        return _limit_page(request, member)
    slots = search_slots(union_house_id=union_house_id)
    week = week_view(
        request,
        slots,
        lambda s: reverse("loopbaan:book_confirm", kwargs={"place": place, "slot": s.key}),
    )
    return render(
        request,
        "loopbaan/book_slots.html",
        {"house": house, "place": place, "appointment": None, **week, **limit},
    )


@role_required(Role.MEMBER)
def book_confirm(request: AuthenticatedRequest, place: str, slot: str) -> HttpResponse:
    member = _member_of(request)
    union_house_id, house = place_or_404(place)
    chosen = slot_or_404(union_house_id, slot)
    if open_appointments_context(member)["limit_reached"]:
        return _limit_page(request, member)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "house": house,
        "place": place,
        "slot": chosen,
        "form": form,
        "appointment": None,
    }

    def url(s: Slot) -> str:
        return reverse("loopbaan:book_confirm", kwargs={"place": place, "slot": s.key})

    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                member=member,
                slot=chosen,
                question=form.cleaned_data["question"],
            )
        except services.SlotTakenError as error:
            context.update(
                taken=True, error=error.messages[0], next_slots=slot_links(error.next_slots, url)
            )
            return render(request, "loopbaan/confirm.html", context, status=409)
        except ValidationError as error:
            if getattr(error, "code", None) == "limit":  # booked meanwhile (another tab)
                return _limit_page(request, member)
            context["error"] = " ".join(error.messages)
            return render(request, "loopbaan/confirm.html", context, status=400)
        messages.success(
            request, _("Je afspraak is geboekt. Je krijgt een bevestiging per e-mail.")
        )
        return redirect("loopbaan:manage", token=appointment.public_token)
    if request.method == "GET" and not still_free(chosen):
        context.update(
            taken=True,
            error=_("Dit tijdstip is niet (meer) vrij."),
            next_slots=slot_links(
                next_free_slots(union_house_id=union_house_id, after=chosen.starts_at), url
            ),
        )
    return render(request, "loopbaan/confirm.html", context)


def still_free(chosen: Slot, exclude_appointment_id: int | None = None) -> bool:
    first, last = bookable_window()
    if not first <= chosen.starts_at <= last:
        return False
    found = free_consultants_at(
        union_house_id=chosen.union_house_id,
        starts_at=chosen.starts_at,
        exclude_appointment_id=exclude_appointment_id,
    )
    return len(found) >= 2


def upcoming_and_past(appointments: Any) -> tuple[list[Appointment], list[Appointment]]:
    """Upcoming open appointments, soonest first; below them the rest (past, cancelled),
    latest first."""
    now = timezone.now()
    rows = list(appointments.select_related("union_house").order_by("starts_at"))
    upcoming = [a for a in rows if a.is_open and a.starts_at >= now]
    rest = sorted(
        (a for a in rows if not (a.is_open and a.starts_at >= now)),
        key=lambda a: a.starts_at,
        reverse=True,
    )
    return upcoming, rest


@role_required(Role.MEMBER)
def mine(request: AuthenticatedRequest) -> HttpResponse:
    member = _member_of(request)
    upcoming, rest = upcoming_and_past(Appointment.objects.visible_to(request.user))
    audit_log(
        request=request,
        action="list",
        object_type="loopbaan.appointment",
        subject_member_id=member.pk,
    )
    return render(
        request,
        "loopbaan/mine.html",
        {"upcoming": upcoming, "past": rest, **open_appointments_context(member)},
    )


def _own_appointment(request: HttpRequest, token) -> Appointment:
    appointment = get_visible_or_404(
        Appointment.objects.select_related("union_house", "member"),
        request.user,
        public_token=token,
    )
    audit_log(
        request=request, action="view", obj=appointment, subject_member_id=appointment.member_id
    )
    return appointment


@role_required(Role.MEMBER)
def manage(request: AuthenticatedRequest, token) -> HttpResponse:
    appointment = _own_appointment(request, token)
    return render(
        request,
        "loopbaan/manage.html",
        {
            "appointment": appointment,
            "can_change": appointment.can_change(),
            "cutoff_hours": knob("CHANGE_CUTOFF_HOURS"),
        },
    )


@role_required(Role.MEMBER)
def cancel(request: AuthenticatedRequest, token) -> HttpResponse:
    """GET asks "Weet je het zeker?" on a page of its own; POST cancels."""
    appointment = _own_appointment(request, token)
    if request.method != "POST":
        if not appointment.can_change():
            return redirect("loopbaan:manage", token=appointment.public_token)
        return render(
            request,
            "loopbaan/cancel_confirm.html",
            {
                "appointment": appointment,
                "back_url": reverse("loopbaan:manage", kwargs={"token": appointment.public_token}),
                "for_member": False,
            },
        )
    try:
        services.appointment_cancel(appointment=appointment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Je afspraak is geannuleerd."))
    return redirect("loopbaan:manage", token=appointment.public_token)


def ics_response(appointment: Appointment, recipient: Any) -> HttpResponse:
    """The appointment as a calendar file to open or save ("Zet in mijn agenda")."""
    body = build_ics(
        appointment, method="PUBLISH", recipient=recipient, link=manage_url(appointment)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="loopbaanafspraak.ics"'
    return response


@role_required(Role.MEMBER)
def calendar_file(request: AuthenticatedRequest, token) -> HttpResponse:
    appointment = _own_appointment(request, token)
    if not appointment.is_open:
        raise Http404
    return ics_response(appointment, request.user)


@role_required(Role.MEMBER)
def move_slots(request: AuthenticatedRequest, token, place: str) -> HttpResponse:
    # The path values first: nonsense is a 404 before anything is read or logged.
    union_house_id, house = place_or_404(place)
    appointment = _own_appointment(request, token)
    if not appointment.can_change():
        raise Http404
    slots = move_targets(appointment, union_house_id)
    others = union_houses_nearest_first(appointment.member)
    week = week_view(
        request,
        slots,
        lambda s: reverse(
            "loopbaan:move_confirm",
            kwargs={"token": appointment.public_token, "place": place, "slot": s.key},
        ),
    )
    return render(
        request,
        "loopbaan/book_slots.html",
        {
            "house": house,
            "place": place,
            "appointment": appointment,
            "back_url": reverse("loopbaan:manage", kwargs={"token": appointment.public_token}),
            "other_places": place_links(
                others,
                lambda key: reverse(
                    "loopbaan:move_slots",
                    kwargs={"token": appointment.public_token, "place": key},
                ),
            ),
            **week,
        },
    )


@role_required(Role.MEMBER)
def move_confirm(request: AuthenticatedRequest, token, place: str, slot: str) -> HttpResponse:
    union_house_id, house = place_or_404(place)
    chosen = slot_or_404(union_house_id, slot)
    appointment = _own_appointment(request, token)
    context: dict[str, Any] = {
        "house": house,
        "place": place,
        "slot": chosen,
        "appointment": appointment,
        "back_url": reverse(
            "loopbaan:move_slots", kwargs={"token": appointment.public_token, "place": place}
        ),
    }

    def url(s: Slot) -> str:
        return reverse(
            "loopbaan:move_confirm",
            kwargs={"token": appointment.public_token, "place": place, "slot": s.key},
        )

    if request.method == "POST":
        try:
            services.appointment_move(appointment=appointment, slot=chosen, user=request.user)
        except services.SlotTakenError as error:
            context.update(
                taken=True, error=error.messages[0], next_slots=slot_links(error.next_slots, url)
            )
            return render(request, "loopbaan/confirm.html", context, status=409)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "loopbaan/confirm.html", context, status=400)
        messages.success(request, _("Je afspraak is verzet. Je krijgt een bevestiging per e-mail."))
        return redirect("loopbaan:manage", token=appointment.public_token)
    if request.method == "GET" and not still_free(chosen, appointment.pk):
        context.update(
            taken=True,
            error=_("Dit tijdstip is niet (meer) vrij."),
            next_slots=slot_links(
                next_free_slots(union_house_id=union_house_id, after=chosen.starts_at), url
            ),
        )
    return render(request, "loopbaan/confirm.html", context)


# --- consultant -----------------------------------------------------------------------------


@role_required(Role.CONSULTANT)
def agenda(request: AuthenticatedRequest) -> HttpResponse:
    tz = local_tz()
    day = bounds.date_param(request.GET, "dag", bounds=bounds.AGENDA) or timezone.localdate()
    view = "dag" if request.GET.get("weergave") == "dag" else "week"
    first = day if view == "dag" else day - timedelta(days=day.weekday())
    length = timedelta(days=1 if view == "dag" else 7)
    start = datetime.combine(first, time(), tz)
    appointments = (
        Appointment.objects.visible_to(request.user)
        .filter(starts_at__gte=start, starts_at__lt=start + length)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("union_house", "member")
        .order_by("starts_at")
    )
    audit_log(request=request, action="list", object_type="loopbaan.appointment", detail="agenda")
    return render(
        request,
        "loopbaan/agenda.html",
        {
            "appointments": appointments,
            "view": view,
            "first": first,
            "last": first + length - timedelta(days=1),
            "previous": first - length,
            "next": first + length,
            "today": timezone.localdate(),
        },
    )


def _consultant_appointment(request: HttpRequest, pk: int) -> Appointment:
    appointment = get_visible_or_404(
        Appointment.objects.select_related("union_house", "member"), request.user, pk=pk
    )
    audit_log(
        request=request, action="view", obj=appointment, subject_member_id=appointment.member_id
    )
    return appointment


@role_required(Role.CONSULTANT)
def consultant_appointment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = _consultant_appointment(request, pk)
    report = AppointmentReport.objects.filter(appointment=appointment).first()
    return render(
        request,
        "loopbaan/consultant_appointment.html",
        {
            "appointment": appointment,
            "consultants": appointment.active_consultants(),
            "report": report,
            "started": appointment.starts_at <= timezone.now(),
        },
    )


@require_POST
@role_required(Role.CONSULTANT)
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = _consultant_appointment(request, pk)
    try:
        replacement = services.appointment_withdraw_consultant(
            appointment=appointment, consultant=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("loopbaan:consultant_appointment", pk=pk)
    if replacement:
        messages.success(request, _("Je bent afgemeld; een andere consulent neemt het over."))
    else:
        messages.warning(
            request,
            _(
                "Je bent afgemeld. Er was geen vervanger vrij: het lid en de coördinator zijn ingelicht."
            ),
        )
    return redirect("loopbaan:agenda")


@role_required(Role.CONSULTANT)
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = _consultant_appointment(request, pk)
    existing = AppointmentReport.objects.filter(appointment=appointment).first()
    initial = (
        {
            "career_question": existing.career_question,
            "referrals": existing.referrals,
            "no_show": existing.no_show,
            "notes": existing.notes,
        }
        if existing
        else None
    )
    form = ReportForm(request.POST if request.method == "POST" else None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.report_save(
                appointment=appointment,
                consultant=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Het verslag is opgeslagen."))
            return redirect("loopbaan:report_detail", pk=saved.pk)
    return render(
        request,
        "loopbaan/report_form.html",
        {"appointment": appointment, "form": form, "error": error},
        status=400 if error else 200,
    )


@role_required(Role.CONSULTANT, Role.ADVISER)
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report_obj = get_visible_or_404(
        AppointmentReport.objects.select_related("appointment", "appointment__member"),
        request.user,
        pk=pk,
    )
    audit_log(
        request=request,
        action="view",
        obj=report_obj,
        subject_member_id=report_obj.appointment.member_id,
    )
    return render(request, "loopbaan/report_detail.html", {"report": report_obj})


@role_required(Role.CONSULTANT)
def availability(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    hours_form = AvailabilityForm(
        request.POST if action == "hours" else None, consultant=user, prefix="hours"
    )
    blocked_form = BlockedDayForm(request.POST if action == "blocked" else None, prefix="blocked")
    max_form = WeeklyMaxForm(
        request.POST if action == "max" else None,
        prefix="max",
        initial={"weekly_max": services.weekly_max_of(user)},
    )
    error = ""
    try:
        if action == "hours" and hours_form.is_valid():
            data = hours_form.cleaned_data
            house = None
            if data["place"] != "online":
                house = get_object_or_404(user.union_houses, pk=int(data["place"]))
            services.availability_add(
                consultant=user,
                union_house=house,
                kind=data["kind"],
                weekday=data["weekday"],
                on_date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
            )
            messages.success(request, _("Je beschikbaarheid is toegevoegd."))
            return redirect("loopbaan:availability")
        if action == "blocked" and blocked_form.is_valid():
            services.blocked_day_add(
                consultant=user,
                on_date=blocked_form.cleaned_data["date"],
                reason=blocked_form.cleaned_data["reason"],
            )
            messages.success(request, _("De dag is geblokkeerd."))
            return redirect("loopbaan:availability")
        if action == "max" and max_form.is_valid():
            services.weekly_max_set(consultant=user, weekly_max=max_form.cleaned_data["weekly_max"])
            messages.success(request, _("Je maximum per week is opgeslagen."))
            return redirect("loopbaan:availability")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return render(
        request,
        "loopbaan/availability.html",
        {
            "hours": Availability.objects.visible_to(user).select_related("union_house"),
            "blocked": BlockedDay.objects.visible_to(user).filter(date__gte=timezone.localdate()),
            "hours_form": hours_form,
            "blocked_form": blocked_form,
            "max_form": max_form,
            "error": error,
        },
        status=400 if error or (action and request.method == "POST") else 200,
    )


@require_POST
@role_required(Role.CONSULTANT)
def availability_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    services.availability_delete(
        availability=get_visible_or_404(Availability.objects, request.user, pk=pk)
    )
    messages.success(request, _("De beschikbaarheid is verwijderd."))
    return redirect("loopbaan:availability")


@require_POST
@role_required(Role.CONSULTANT)
def blocked_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    get_visible_or_404(BlockedDay.objects, request.user, pk=pk).delete()
    messages.success(request, _("De dag is weer vrij."))
    return redirect("loopbaan:availability")


# --- coordinator ----------------------------------------------------------------------------


@role_required(Role.COORDINATOR)
def occupancy(request: AuthenticatedRequest) -> HttpResponse:
    """Numbers per union house in the coordinator's regions; no members' questions."""
    regions = request.user.regions.all()
    now = timezone.now()
    horizon = now + timedelta(weeks=knob("HORIZON_WEEKS"))
    since = now - timedelta(weeks=4)
    houses = (
        UnionHouse.objects.hosting_career_hours()
        .filter(region__in=regions)
        .annotate(
            consultant_count=Count(
                "consultants",
                filter=Q(consultants__role=Role.CONSULTANT, consultants__is_active=True),
                distinct=True,
            )
        )
        .order_by("name")
    )
    counts = {
        row["union_house"]: row
        for row in Appointment.objects.filter(union_house__in=houses)
        .values("union_house")
        .annotate(
            booked=Count(
                "pk",
                filter=Q(
                    status=AppointmentStatus.BOOKED, starts_at__gte=now, starts_at__lt=horizon
                ),
            ),
            held=Count(
                "pk",
                filter=Q(status=AppointmentStatus.HELD, starts_at__gte=since, starts_at__lt=now),
            ),
            no_show=Count(
                "pk",
                filter=Q(status=AppointmentStatus.NO_SHOW, starts_at__gte=since, starts_at__lt=now),
            ),
        )
    }
    rows = []
    for house in houses:
        row: Mapping[str, Any] = counts.get(house.pk, {})
        rows.append(
            {
                "house": house,
                "consultants": house.consultant_count,
                "booked": row.get("booked", 0),
                "held": row.get("held", 0),
                "no_show": row.get("no_show", 0),
                "free_slots": len(search_slots(union_house_id=house.pk)),
            }
        )
    online_booked = (
        Appointment.objects.filter(union_house__isnull=True, region__in=regions)
        .upcoming()
        .filter(starts_at__lt=horizon)
        .count()
    )
    needs_consultant = list(
        Appointment.objects.filter(region__in=regions, needs_consultant=True)
        .upcoming()
        .select_related("union_house")
        .order_by("starts_at")
    )
    return render(
        request,
        "loopbaan/occupancy.html",
        {
            "rows": rows,
            "online_booked": online_booked,
            "needs_consultant": needs_consultant,
            "weeks": knob("HORIZON_WEEKS"),
        },
    )
