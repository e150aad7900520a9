"""Retention and erasure for meetings (called by fnvregio.tasks / members.erasure).

A guest's name and e-mail address are kept for one purpose, the meeting: a few days after it
ended (MEETINGS_GUEST_DAYS in settings.FNV, read through core.conf; the nightly retention task)
they are blanked (at once when the meeting or the registration is cancelled) and the
registration stays, without them, for the counts. A member's
registrations go when the member is erased.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from core.conf import feature_setting
from meetings.models import Registration, RegistrationStatus

# Days after a meeting ends before its guests' names and e-mail are blanked: time for the
# organiser to record attendance.
GUEST_DAYS = 7


def guest_days() -> int:
    return int(feature_setting("MEETINGS_GUEST_DAYS", GUEST_DAYS))


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    cutoff = now - timedelta(days=guest_days())
    # Past the meeting, or no meeting to go to any more: the purpose is over.
    done = (
        Q(meeting__ends_at__lt=cutoff)
        | Q(meeting__cancelled_at__isnull=False)
        | Q(status=RegistrationStatus.CANCELLED)
    )
    forgotten = (
        Registration.objects.filter(member__isnull=True, forgotten_at__isnull=True)
        .filter(done)
        .update(name="", email="", forgotten_at=now)
    )
    return {"meeting_guests_forgotten": forgotten}


def erase_member(*, member) -> dict[str, int]:
    deleted, _ = Registration.objects.filter(member=member).delete()
    return {"meeting_registrations_deleted": deleted}
