"""Planning meetings, registering for them (a member, or a guest with consent), the waiting list,
cancelling and attendance. Every write locks the meeting row first, so registrations that
arrive at the same moment are counted one after the other and never exceed its capacity.

Services take the acting user (None for a guest who is not logged in), never the request, and
record their writes in the audit trail.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.roles import Role, acting_as
from meetings.models import Meeting, Registration, RegistrationStatus
from meetings.tasks import (
    send_cancelled_meeting_mail,
    send_confirmation_mail,
    send_moved_up_mail,
)
from members.models import Member, User

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,40}")

MEETING_FIELDS = [
    "title",
    "theme",
    "description",
    "region",
    "union_house",
    "online_url",
    "employer",
    "starts_at",
    "ends_at",
    "capacity",
    "is_published",
]


def _require_planner(by: User, meeting: Meeting) -> None:
    if not Meeting.objects.planned_by(by).filter(pk=meeting.pk).exists():
        raise ValidationError(_("Je kunt alleen bijeenkomsten in je eigen regio's plannen."))


def _check_region(by: User, region_id: int) -> None:
    if acting_as(by, Role.ADMIN):
        return
    if not acting_as(by, Role.COORDINATOR) or not by.regions.filter(pk=region_id).exists():
        raise ValidationError(_("Je kunt alleen bijeenkomsten in je eigen regio's plannen."))


@transaction.atomic
def meeting_create(*, by: User, data: dict[str, Any]) -> Meeting:
    region = data["region"]
    _check_region(by, region.pk)
    meeting = Meeting(organiser=by, **{name: data[name] for name in MEETING_FIELDS})
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("Een nieuwe bijeenkomst begint in de toekomst."))
    meeting.save()
    audit_log(user=by, action=AuditAction.CREATE, obj=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, by: User, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    _require_planner(by, meeting)
    _check_region(by, data["region"].pk)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Een geannuleerde bijeenkomst kun je niet meer wijzigen."))
    taken = meeting.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    if data["capacity"] < taken:
        raise ValidationError(
            _("Er zijn al %(n)s aanmeldingen: kies minstens %(n)s plaatsen.") % {"n": taken}
        )
    for name in MEETING_FIELDS:
        setattr(meeting, name, data[name])
    meeting.save()
    audit_log(user=by, action=AuditAction.CHANGE, obj=meeting)
    # More places: the waiting list moves up into them.
    _move_up(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, by: User, meeting: Meeting) -> int:
    """Cancel a meeting; everyone registered or waiting hears it by mail. Returns how many."""
    _require_planner(by, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Deze bijeenkomst is al geannuleerd."))
    if meeting.has_started:
        raise ValidationError(_("Een bijeenkomst die begonnen is, kun je niet meer annuleren."))
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    audit_log(user=by, action=AuditAction.CHANGE, obj=meeting, detail="geannuleerd")
    affected = list(meeting.registrations.active().values_list("pk", flat=True))
    for pk in affected:
        send_cancelled_meeting_mail.delay_on_commit(pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return len(affected)


# --- registering -----------------------------------------------------------------------------


def _locked_open_meeting(meeting: Meeting) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("union_house")
        .get(pk=meeting.pk)
    )
    if not meeting.is_open_for_registration:
        raise ValidationError(_("Voor deze bijeenkomst kun je je niet meer aanmelden."))
    return meeting


def _next_status(meeting: Meeting) -> str:
    taken = meeting.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return RegistrationStatus.REGISTERED if taken < meeting.capacity else RegistrationStatus.WAITING


@transaction.atomic
def register_member(*, by: User, meeting: Meeting) -> Registration:
    """A logged-in member's place, or a place on the waiting list when the meeting is full."""
    member = Member.objects.filter(user=by).first() if acting_as(by, Role.MEMBER) else None
    if member is None:
        raise ValidationError(_("Alleen leden met een account melden zich zo aan."))
    meeting = _locked_open_meeting(meeting)
    if meeting.registrations.active().filter(member=member).exists():
        raise ValidationError(_("Je bent al aangemeld voor deze bijeenkomst."))
    registration = Registration.objects.create(
        meeting=meeting, member=member, status=_next_status(meeting)
    )
    audit_log(user=by, action=AuditAction.CREATE, obj=registration, subject_member_id=member.pk)
    send_confirmation_mail.delay_on_commit(registration.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return registration


def register_guest(*, meeting: Meeting, name: str, email: str, consent: bool) -> Registration:
    """A guest's place (name and e-mail only, with consent for this meeting alone). The same
    address registered twice gets its confirmation again instead of a second place, so the
    answer never tells anyone who else registered."""
    if not consent:
        raise ValidationError(
            _("Geef toestemming om je naam en e-mailadres voor deze bijeenkomst te gebruiken.")
        )
    email = email.strip()
    try:
        with transaction.atomic():
            meeting = _locked_open_meeting(meeting)
            existing = (
                meeting.registrations.active()
                .filter(member__isnull=True, email__iexact=email)
                .first()
            )
            registration: Registration
            if existing is not None:
                registration = existing
            else:
                registration = Registration.objects.create(
                    meeting=meeting,
                    name=name.strip(),
                    email=email,
                    consent_at=timezone.now(),
                    status=_next_status(meeting),
                )
                audit_log(action=AuditAction.CREATE, obj=registration, detail="gast")
            send_confirmation_mail.delay_on_commit(registration.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    except IntegrityError as error:  # pragma: no cover - the row lock makes this unreachable
        raise ValidationError(_("Dit e-mailadres is al aangemeld.")) from error
    return registration


def _move_up(meeting: Meeting) -> list[Registration]:
    """Fill free places from the waiting list, first come first served; each hears it by
    mail. The caller holds the meeting's row lock."""
    if meeting.has_started or meeting.is_cancelled:
        return []
    taken = meeting.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    free = meeting.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        meeting.registrations.filter(status=RegistrationStatus.WAITING).order_by(
            "created_at", "pk"
        )[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        send_moved_up_mail.delay_on_commit(registration.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return promoted


@transaction.atomic
def registration_cancel(*, by: User | None, registration: Registration) -> Registration | None:
    """Cancel a registration (by its link, or by the member); when it held a place, the first
    on the waiting list moves up and is told. Returns the registration that moved up."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=registration.meeting_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("Deze aanmelding is al afgemeld."))
    if meeting.has_started:
        raise ValidationError(_("De bijeenkomst is al begonnen; afmelden kan niet meer."))
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=registration,
        detail="afgemeld",
        subject_member_id=registration.member_id,
    )
    if not was_registered:
        return None
    promoted = _move_up(meeting)
    return promoted[0] if promoted else None


@transaction.atomic
def attendance_record(*, by: User, meeting: Meeting, attended: dict[int, bool | None]) -> int:
    """Record who came (registration pk → True, False or None for unknown), after the start.
    Returns how many changed."""
    _require_planner(by, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.has_started:
        raise ValidationError(_("Aanwezigheid vul je in als de bijeenkomst begonnen is."))
    if meeting.is_cancelled:
        raise ValidationError(_("Deze bijeenkomst is geannuleerd."))
    changed = 0
    for registration in meeting.registrations.filter(
        status=RegistrationStatus.REGISTERED, pk__in=list(attended)
    ):
        value = attended[registration.pk]
        if registration.attended != value:
            registration.attended = value
            registration.save(update_fields=["attended"])
            changed += 1
    audit_log(user=by, action=AuditAction.CHANGE, obj=meeting, detail=f"aanwezigheid ({changed})")
    return changed


def registration_for_token(token: str) -> Registration | None:
    """The registration a cancellation link points to, or None (a token is 32 characters of
    the URL-safe alphabet: anything else finds nothing without asking the database)."""
    if not TOKEN.fullmatch(token):
        return None
    return (
        Registration.objects.select_related("meeting__union_house", "member")
        .filter(token=token)
        .first()
    )
