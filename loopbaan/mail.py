"""Appointment mails with a calendar file (.ics, RFC 5545).

One UID per appointment (its public token), so a move updates the same calendar item and a
cancellation (METHOD:CANCEL, higher SEQUENCE) removes it.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from core.mail import templated_message
from loopbaan.models import Appointment, knob
from loopbaan.slots import next_free_slots

# kind → (template, calendar method or None)
KINDS: dict[str, tuple[str, str | None]] = {
    "booked": ("booked", "REQUEST"),
    "moved": ("moved", "REQUEST"),
    "assigned": ("assigned", "REQUEST"),
    "cancelled": ("cancelled", "CANCEL"),
    "withdrawn": ("withdrawn", "CANCEL"),
    "needs_consultant": ("needs_consultant", None),
    "reminder": ("reminder", None),
}


def _one_line(text: str) -> str:
    """A name or place on one line: line breaks and other control characters become a space.
    (icalendar would escape them anyway; a name never needs one.)"""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def manage_url(appointment: Appointment) -> str:
    return settings.SITE_URL + reverse(
        "loopbaan:manage", kwargs={"token": appointment.public_token}
    )


def calendar_url(appointment: Appointment) -> str:
    """The member's "Zet in mijn agenda" link: the .ics download of loopbaan.views."""
    return settings.SITE_URL + reverse(
        "loopbaan:calendar_file", kwargs={"token": appointment.public_token}
    )


def consultant_url(appointment: Appointment) -> str:
    return settings.SITE_URL + reverse(
        "loopbaan:consultant_appointment", kwargs={"pk": appointment.pk}
    )


def location_text(appointment: Appointment) -> str:
    if appointment.is_online:
        return appointment.online_url
    house = appointment.union_house
    return f"{house.name}, {house.address}"


def build_ics(appointment: Appointment, *, method: str, recipient, link: str) -> str:
    """The calendar file, written by the icalendar library: it escapes text values, quotes and
    encodes parameter values (RFC 6868) and folds lines at 75 octets, so no imported name or
    address can end a content line or start a property of its own."""
    description = f"Loopbaanafspraak met twee consulenten van FNV.\nWijzigen of annuleren: {link}"
    calendar = Calendar()
    calendar.add("prodid", "-//FNV Regio//Loopbaan FNV//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"{appointment.public_token}@fnv-regio")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
    event.add("summary", "Loopbaanafspraak FNV")
    event.add("location", location_text(appointment))
    event.add("description", description)
    event.add("url", link)
    organizer = vCalAddress(
        "mailto:" + settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip()
    )
    organizer.params["cn"] = "FNV Regio"
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{_one_line(recipient.email)}")
    attendee.params["cn"] = _one_line(recipient.get_full_name())
    attendee.params["role"] = "REQ-PARTICIPANT"
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def recipient_address(appointment: Appointment, user) -> str:
    if appointment.member.user_id == user.pk and appointment.member.email:
        return appointment.member.email
    return user.email


def build_message(appointment: Appointment, *, kind: str, recipient, extra=None):
    template, method = KINDS[kind]
    is_member = appointment.member.user_id == recipient.pk
    link = manage_url(appointment) if is_member else consultant_url(appointment)
    context = {
        "appointment": appointment,
        "recipient": recipient,
        "is_member": is_member,
        "link": link,
        "calendar_link": calendar_url(appointment) if is_member else "",
        "location": location_text(appointment),
        "start": timezone.localtime(appointment.starts_at),
        "end": timezone.localtime(appointment.ends_at),
        "cutoff_hours": knob("CHANGE_CUTOFF_HOURS"),
        **(extra or {}),
    }
    if kind == "needs_consultant":
        context["next_slots"] = next_free_slots(
            union_house_id=appointment.union_house_id, after=appointment.starts_at
        )
    message = templated_message(
        f"loopbaan/mail/{template}", context, [recipient_address(appointment, recipient)]
    )
    if method:
        message.attach(
            "loopbaanafspraak.ics",
            build_ics(appointment, method=method, recipient=recipient, link=link),
            f"text/calendar; method={method}",
        )
    return message
