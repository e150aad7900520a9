"""Appointment mails with a calendar file (.ics, RFC 5545).

One UID per appointment (its public token), so a move updates the same calendar item and a
cancellation (METHOD:CANCEL, higher SEQUENCE) removes it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from loopbaan.models import Appointment, knob


def _render(name: str, context: dict) -> str:
    """Plain-text mail: no HTML escaping."""
    return get_template(name).template.render(Context(context, autoescape=False))


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


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold content lines at 75 octets (RFC 5545 3.1)."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def manage_url(appointment: Appointment) -> str:
    return settings.SITE_URL + reverse(
        "loopbaan:manage", kwargs={"token": appointment.public_token}
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
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    description = f"Loopbaanafspraak met twee consulenten van FNV.\nWijzigen of annuleren: {link}"
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//FNV Regio//Loopbaan FNV//NL",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{appointment.public_token}@fnv-regio",
        f"SEQUENCE:{appointment.sequence}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(appointment.starts_at)}",
        f"DTEND:{_utc(appointment.ends_at)}",
        f"SUMMARY:{_escape('Loopbaanafspraak FNV')}",
        f"LOCATION:{_escape(location_text(appointment))}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{link}",
        "ORGANIZER;CN=FNV Regio:mailto:"
        + settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip(),
        f"ATTENDEE;CN={_escape(recipient.get_full_name())};ROLE=REQ-PARTICIPANT:mailto:{recipient.email}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


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
        "location": location_text(appointment),
        "start": timezone.localtime(appointment.starts_at),
        "end": timezone.localtime(appointment.ends_at),
        "cutoff_hours": knob("CHANGE_CUTOFF_HOURS"),
        **(extra or {}),
    }
    if kind == "needs_consultant":
        from loopbaan.services import next_free_slots

        context["next_slots"] = next_free_slots(
            union_house_id=appointment.union_house_id, after=appointment.starts_at
        )
    with translation.override("nl"):
        subject = _render(f"loopbaan/mail/{template}_subject.txt", context).strip()
        body = _render(f"loopbaan/mail/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        to=[recipient_address(appointment, recipient)],
    )
    if method:
        message.attach(
            "loopbaanafspraak.ics",
            build_ics(appointment, method=method, recipient=recipient, link=link),
            f"text/calendar; method={method}",
        )
    return message
