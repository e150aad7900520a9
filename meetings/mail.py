"""Mails about a registration, with a calendar file (.ics, RFC 5545) when there is a place.

One UID per registration (its token), so a cancelled meeting's mail (METHOD:CANCEL) removes the
item the confirmation added. The templates are templates/meetings/mail/<kind>_subject.txt and
<kind>.txt (core.mail).
"""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, timezone
from icalendar import Calendar, Event

from core.mail import templated_message
from meetings.models import Meeting, Registration, RegistrationStatus


def cancel_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("meetings:cancel", kwargs={"token": registration.token})


def detail_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", kwargs={"pk": meeting.pk})


def when(meeting: Meeting) -> str:
    """The one Dutch format of the portal's meeting dates: "dinsdag 3 maart 2026, 19:30–21:00"."""
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return "{}, {}–{}".format(
        formats.date_format(start, "l j F Y"),
        formats.time_format(start, "H:i"),
        formats.time_format(end, "H:i"),
    )


def location(meeting: Meeting, *, registered: bool) -> str:
    """Where: the union house, or online (the link only for someone with a place)."""
    if meeting.union_house_id:
        return meeting.place
    return meeting.online_url if registered else meeting.place


def build_ics(registration: Registration, *, method: str) -> str:
    meeting = registration.meeting
    link = cancel_url(registration)
    calendar = Calendar()
    calendar.add("prodid", "-//FNV Regio//Informatiebijeenkomsten//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"meeting-{registration.token}@fnv-regio")
    event.add("sequence", 1 if method == "CANCEL" else 0)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    event.add("location", location(meeting, registered=True))
    event.add("description", f"Informatiebijeenkomst van FNV.\nAfmelden: {link}")
    event.add("url", detail_url(meeting))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def build_message(registration: Registration, *, kind: str) -> EmailMultiAlternatives | None:
    """kind: confirmation, moved_up, reminder or cancelled (the meeting was cancelled)."""
    address = registration.address
    if not address:
        return None
    meeting = registration.meeting
    registered = registration.status == RegistrationStatus.REGISTERED
    context = {
        "name": registration.display_name,
        "meeting": meeting,
        "when": when(meeting),
        "where": location(meeting, registered=registered),
        "registered": registered,
        "cancel_url": cancel_url(registration),
        "detail_url": detail_url(meeting),
        "list_url": settings.SITE_URL + reverse("meetings:list"),
        "is_guest": registration.is_guest,
    }
    message = templated_message(f"meetings/mail/{kind}", context, [address])
    method = {"confirmation": "REQUEST", "moved_up": "REQUEST", "cancelled": "CANCEL"}.get(kind)
    if method and (registered or kind == "cancelled"):
        message.attach(
            "bijeenkomst.ics",
            build_ics(registration, method=method),
            f"text/calendar; method={method}",
        )
    return message
