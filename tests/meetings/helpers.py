"""Meetings and registrations for the tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting, Registration, RegistrationStatus, Theme


def make_meeting(cast, *, days: float = 7, capacity: int = 10, online: bool = False, **extra):
    starts = timezone.now() + timedelta(days=days)
    values = {
        "title": "Ontslag? Wat nu?",
        "theme": Theme.DISMISSAL,
        "region": cast.region,
        "union_house": None if online else cast.union_house,
        "online_url": "https://meet.example.org/geheim-123" if online else "",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": capacity,
        "organiser": cast.coordinator,
        "is_published": True,
    }
    values.update(extra)
    return Meeting.objects.create(**values)


def foreign_meeting(cast, **extra):
    return make_meeting(cast, region=cast.other_region, union_house=cast.other_union_house, **extra)


def guest(meeting, name="Ilse van Dam", email="ilse@example.org", **extra):
    values = {
        "meeting": meeting,
        "name": name,
        "email": email,
        "consent_at": timezone.now(),
        "status": RegistrationStatus.REGISTERED,
    }
    values.update(extra)
    return Registration.objects.create(**values)


def move_to_past(meeting, *, days: float = 1) -> Meeting:
    start = timezone.now() - timedelta(days=days)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    meeting.refresh_from_db()
    return meeting
