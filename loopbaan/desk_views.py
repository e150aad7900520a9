"""Booking on a member's behalf (#13 item 6): a member phones the union house, and a consultant,
coordinator or admin finds them, books, moves or cancels a career appointment for them, and
prints a confirmation letter when the member has no e-mail address.

Who may book for whom is in loopbaan.desk (the members of one's own regions, found by an
exact key only); every member and appointment here is fetched through that scope, so anything
outside it is a 404. The lookup, each member page and each appointment page are recorded in the
audit trail; the services record the writes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.access import role_required
from core.roles import Role
from loopbaan import services
from loopbaan.desk import desk_members, find_members
from loopbaan.forms import DeskConfirmForm, DeskSearchForm
from loopbaan.models import Appointment, knob
from loopbaan.slots import Slot, next_free_slots, search_slots, union_houses_nearest_first
from loopbaan.views import (
    move_targets,
    open_appointments_context,
    place_links,
    place_or_404,
    slot_links,
    slot_or_404,
    still_free,
    upcoming_and_past,
    week_view,
)
from members.http import AuthenticatedRequest
from members.models import Member, MemberStatus
from regions.models import UnionHouse

DESK = (Role.CONSULTANT, Role.COORDINATOR, Role.ADMIN)


def _member(request: AuthenticatedRequest, pk: int) -> Member:
    member: Member = get_object_or_404(desk_members(request.user).select_related("user"), pk=pk)
    audit_log(
        request=request,
        action="view",
        obj=member,
        subject_member_id=member.pk,
        detail="telefonisch boeken",
    )
    return member


def _appointment(request: AuthenticatedRequest, pk: int) -> Appointment:
    appointment: Appointment = get_object_or_404(
        Appointment.objects.for_desk(request.user).select_related(
            "union_house", "member", "member__user", "booked_by"
        ),
        pk=pk,
    )
    audit_log(
        request=request,
        action="view",
        obj=appointment,
        subject_member_id=appointment.member_id,
        detail="telefonisch boeken",
    )
    return appointment


def _has_mail(member: Member) -> bool:
    """Mails go to the member's account; without one the confirmation is a letter."""
    return member.user_id is not None


@role_required(*DESK)
def find(request: AuthenticatedRequest) -> HttpResponse:
    """Search by an exact key; POST so that birth dates and postcodes stay out of addresses
    and logs. Nothing is written but the audit trail."""
    form = DeskSearchForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "searched": False}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found, too_many = find_members(
            request.user,
            member_number=data["member_number"],
            birth_date=data["birth_date"],
            postcode=data["postcode"],
            house_number=data["house_number"],
        )
        key = (
            "lidnummer"
            if data["member_number"]
            else "geboortedatum en postcode"
            if data["birth_date"]
            else "postcode en huisnummer"
        )
        for member in found:
            audit_log(
                request=request,
                action="search",
                obj=member,
                subject_member_id=member.pk,
                detail=f"telefonisch boeken: gevonden op {key}",
            )
        if not found:
            audit_log(
                request=request,
                action="search",
                object_type="members.member",
                detail=f"telefonisch boeken: op {key}, "
                + ("te veel treffers" if too_many else "niet gevonden"),
            )
        context.update(searched=True, found=found, too_many=too_many)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "loopbaan/desk_find.html", context, status=status)


@role_required(*DESK)
def member_page(request: AuthenticatedRequest, member: int) -> HttpResponse:
    person = _member(request, member)
    upcoming, past = upcoming_and_past(Appointment.objects.filter(member=person))
    limit = open_appointments_context(person)
    places = (
        place_links(
            union_houses_nearest_first(person),
            lambda key: reverse("loopbaan:desk_slots", kwargs={"member": person.pk, "place": key}),
        )
        if person.status == MemberStatus.ACTIVE and not limit["limit_reached"]
        else []
    )
    return render(
        request,
        "loopbaan/desk_member.html",
        {
            "person": person,
            "for_member": person,
            "has_mail": _has_mail(person),
            "is_active": person.status == MemberStatus.ACTIVE,
            "places": places,
            "past": past[:10],
            **limit,
        },
    )


@role_required(*DESK)
def slots(request: AuthenticatedRequest, member: int, place: str) -> HttpResponse:
    union_house_id, house = place_or_404(place)
    person = _member(request, member)
    limit = open_appointments_context(person)
    if limit["limit_reached"] or person.status != MemberStatus.ACTIVE:
        return redirect("loopbaan:desk_member", member=person.pk)
    week = week_view(
        request,
        search_slots(union_house_id=union_house_id),
        lambda s: reverse(
            "loopbaan:desk_confirm", kwargs={"member": person.pk, "place": place, "slot": s.key}
        ),
    )
    return render(
        request,
        "loopbaan/book_slots.html",
        {
            "house": house,
            "place": place,
            "appointment": None,
            "for_member": person,
            "back_url": reverse("loopbaan:desk_member", kwargs={"member": person.pk}),
            "other_places": place_links(
                union_houses_nearest_first(person),
                lambda key: reverse(
                    "loopbaan:desk_slots", kwargs={"member": person.pk, "place": key}
                ),
            ),
            **week,
        },
    )


@role_required(*DESK)
def confirm(request: AuthenticatedRequest, member: int, place: str, slot: str) -> HttpResponse:
    union_house_id, house = place_or_404(place)
    chosen = slot_or_404(union_house_id, slot)
    person = _member(request, member)
    if open_appointments_context(person)["limit_reached"]:
        messages.warning(request, _("Dit lid heeft al het maximum aan open afspraken."))
        return redirect("loopbaan:desk_member", member=person.pk)
    form = DeskConfirmForm(request.POST if request.method == "POST" else None)

    def url(s: Slot) -> str:
        return reverse(
            "loopbaan:desk_confirm", kwargs={"member": person.pk, "place": place, "slot": s.key}
        )

    context: dict[str, Any] = {
        "house": house,
        "place": place,
        "slot": chosen,
        "form": form,
        "appointment": None,
        "for_member": person,
        "back_url": reverse("loopbaan:desk_slots", kwargs={"member": person.pk, "place": place}),
    }
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                member=person,
                slot=chosen,
                question=form.cleaned_data["question"],
                by=request.user,
            )
        except services.SlotTakenError as error:
            context.update(
                taken=True, error=error.messages[0], next_slots=slot_links(error.next_slots, url)
            )
            return render(request, "loopbaan/confirm.html", context, status=409)
        except ValidationError as error:
            if getattr(error, "code", None) == "limit":
                messages.warning(request, " ".join(error.messages))
                return redirect("loopbaan:desk_member", member=person.pk)
            context["error"] = " ".join(error.messages)
            return render(request, "loopbaan/confirm.html", context, status=400)
        messages.success(request, _("De afspraak is geboekt."))
        return redirect("loopbaan:desk_appointment", pk=appointment.pk)
    if request.method == "GET" and not still_free(chosen):
        context.update(
            taken=True,
            error=_("Dit tijdstip is niet (meer) vrij."),
            next_slots=slot_links(
                next_free_slots(union_house_id=union_house_id, after=chosen.starts_at), url
            ),
        )
    return render(request, "loopbaan/confirm.html", context)


@role_required(*DESK)
def appointment_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    return render(
        request,
        "loopbaan/desk_appointment.html",
        {
            "appointment": appointment,
            "person": appointment.member,
            "for_member": appointment.member,
            "has_mail": _has_mail(appointment.member),
            "upcoming": appointment.is_open and appointment.starts_at > timezone.now(),
            "can_move": appointment.can_change(),
        },
    )


def _phone_of(appointment: Appointment) -> str:
    """The number a member calls to cancel: the union house of the appointment, else one in
    the member's region."""
    if appointment.union_house is not None and appointment.union_house.phone:
        return appointment.union_house.phone
    house = (
        UnionHouse.objects.active()
        .filter(region_id=appointment.member.region_id)
        .exclude(phone="")
        .order_by("name")
        .first()
    )
    return house.phone if house else ""


@role_required(*DESK)
def letter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A printable confirmation for a member without e-mail (or who asks for one on paper)."""
    appointment = _appointment(request, pk)
    if not appointment.is_open:
        raise Http404
    consultants = [user.get_short_name() for user in appointment.active_consultants()]
    return render(
        request,
        "loopbaan/desk_letter.html",
        {
            "appointment": appointment,
            "person": appointment.member,
            "consultants": consultants,
            "phone": _phone_of(appointment),
            "today": timezone.localdate(),
            "cutoff_hours": knob("CHANGE_CUTOFF_HOURS"),
        },
    )


@role_required(*DESK)
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation on a page of its own; POST cancels for the member."""
    appointment = _appointment(request, pk)
    back = reverse("loopbaan:desk_appointment", kwargs={"pk": appointment.pk})
    if request.method != "POST":
        if not appointment.is_open or appointment.starts_at <= timezone.now():
            return redirect(back)
        return render(
            request,
            "loopbaan/cancel_confirm.html",
            {"appointment": appointment, "back_url": back, "for_member": appointment.member},
        )
    try:
        services.appointment_cancel(appointment=appointment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De afspraak is geannuleerd."))
    return redirect(back)


@role_required(*DESK)
def move_slots(request: AuthenticatedRequest, pk: int, place: str) -> HttpResponse:
    union_house_id, house = place_or_404(place)
    appointment = _appointment(request, pk)
    if not appointment.can_change():
        raise Http404
    found = move_targets(appointment, union_house_id)
    week = week_view(
        request,
        found,
        lambda s: reverse(
            "loopbaan:desk_move_confirm",
            kwargs={"pk": appointment.pk, "place": place, "slot": s.key},
        ),
    )
    return render(
        request,
        "loopbaan/book_slots.html",
        {
            "house": house,
            "place": place,
            "appointment": appointment,
            "for_member": appointment.member,
            "back_url": reverse("loopbaan:desk_appointment", kwargs={"pk": appointment.pk}),
            "other_places": place_links(
                union_houses_nearest_first(appointment.member),
                lambda key: reverse(
                    "loopbaan:desk_move_slots", kwargs={"pk": appointment.pk, "place": key}
                ),
            ),
            **week,
        },
    )


@role_required(*DESK)
def move_confirm(request: AuthenticatedRequest, pk: int, place: str, slot: str) -> HttpResponse:
    union_house_id, house = place_or_404(place)
    chosen = slot_or_404(union_house_id, slot)
    appointment = _appointment(request, pk)

    def url(s: Slot) -> str:
        return reverse(
            "loopbaan:desk_move_confirm",
            kwargs={"pk": appointment.pk, "place": place, "slot": s.key},
        )

    context: dict[str, Any] = {
        "house": house,
        "place": place,
        "slot": chosen,
        "appointment": appointment,
        "for_member": appointment.member,
        "back_url": reverse(
            "loopbaan:desk_move_slots", kwargs={"pk": appointment.pk, "place": place}
        ),
    }
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
        messages.success(request, _("De afspraak is verzet."))
        return redirect("loopbaan:desk_appointment", pk=appointment.pk)
    if not still_free(chosen, appointment.pk):
        context.update(
            taken=True,
            error=_("Dit tijdstip is niet (meer) vrij."),
            next_slots=slot_links(
                next_free_slots(union_house_id=union_house_id, after=chosen.starts_at), url
            ),
        )
    return render(request, "loopbaan/confirm.html", context)
