"""Writes of Loopbaan FNV: availability, booking, moving, cancelling, dropping out, reports.

Booking is safe under concurrency twice over: the service locks the candidate consultants'
rows (FOR NO KEY UPDATE, in id order) and checks again, and the exclusion constraint on
AppointmentConsultant refuses any overlap whatever the code does. A slot that was just taken
raises SlotTakenError carrying the next free slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.roles import Role
from loopbaan import slots as slot_search
from loopbaan.desk import desk_members
from loopbaan.models import (
    Appointment,
    AppointmentConsultant,
    AppointmentReport,
    AppointmentStatus,
    Availability,
    AvailabilityKind,
    BlockedDay,
    ConsultantProfile,
    Referral,
    Reminder,
    buffer,
    duration,
    knob,
)
from loopbaan.slots import Slot
from loopbaan.tasks import send_appointment_mail, send_due_reminders
from members.events import trajectory_referral_made
from members.models import Member, MemberStatus, User
from referrals.services import Source, refer
from regions.models import UnionHouse

TAKEN_MESSAGE = "Dit tijdstip is net door iemand anders geboekt."


class SlotTakenError(ValidationError):
    """The slot was taken between showing and booking; `next_slots` are the next free ones."""

    def __init__(self, next_slots: list[Slot]) -> None:
        super().__init__(_(TAKEN_MESSAGE), code="slot_taken")
        self.next_slots = next_slots


class _Taken(Exception):
    pass


# --- mails and reminders --------------------------------------------------------------------


def _enqueue_mail(
    appointment: Appointment,
    kind: str,
    recipient_ids: Iterable[int | None],
    extra: dict[str, Any] | None = None,
) -> None:
    ids = [pk for pk in recipient_ids if pk]
    if ids:
        send_appointment_mail.delay_on_commit(  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
            appointment.pk, kind, ids, appointment.sequence, extra
        )


def _reminder_due(appointment: Appointment, now: datetime) -> datetime:
    return max(appointment.starts_at - timedelta(hours=knob("REMINDER_LEAD_HOURS")), now)


def _ensure_reminders(
    appointment: Appointment,
    recipient_ids: Iterable[int],
    now: datetime,
    *,
    fresh: bool = False,
) -> None:
    """One reminder row per recipient; a late booking gets one due at once (never skipped)."""
    due = _reminder_due(appointment, now)
    Reminder.objects.bulk_create(
        [Reminder(appointment=appointment, recipient_id=pk, due_at=due) for pk in recipient_ids],
        ignore_conflicts=True,  # one per appointment and recipient: existing rows stay
    )
    if not fresh:
        Reminder.objects.filter(appointment=appointment, sent_at__isnull=True).exclude(
            due_at=due
        ).update(due_at=due)
    if due <= now + timedelta(minutes=1):
        send_due_reminders.delay_on_commit()  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask


# --- helpers --------------------------------------------------------------------------------


def _check_place(union_house_id: int | None) -> UnionHouse | None:
    if union_house_id is None:
        return None
    house: UnionHouse | None = (
        UnionHouse.objects.hosting_career_hours().filter(pk=union_house_id).first()
    )
    if house is None:
        raise ValidationError(_("Op deze plek worden geen loopbaanafspraken gehouden."))
    return house


def _check_window(starts_at: datetime, now: datetime) -> None:
    first, last = slot_search.bookable_window(now)
    if starts_at < first:
        raise ValidationError(
            _("Een afspraak maak je minstens %(hours)s uur van tevoren."),
            params={"hours": knob("MIN_NOTICE_HOURS")},
        )
    if starts_at > last:
        raise ValidationError(
            _("Je kunt tot %(weeks)s weken vooruit een afspraak maken."),
            params={"weeks": knob("HORIZON_WEEKS")},
        )


def _lock_free_pair(
    union_house_id: int | None,
    starts_at: datetime,
    *,
    exclude_appointment_id: int | None = None,
    prefer: list[int] | None = None,
) -> list[int]:
    """Two free consultants for this place and hour, with their rows locked; else _Taken.

    The whole pool of the place is locked (FOR NO KEY UPDATE, in id order, so two bookings
    never deadlock), then the free ones are read: a booking that won the race is committed
    by then and its consultants are no longer free.
    """
    pool = Availability.objects.filter(slot_search.pool_filter(union_house_id)).values(
        "consultant_id"
    )
    locked = set(
        User.objects.select_for_update(no_key=True)
        .filter(pk__in=pool)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    free = [
        pk
        for pk in slot_search.free_consultants_at(
            union_house_id=union_house_id,
            starts_at=starts_at,
            exclude_appointment_id=exclude_appointment_id,
        )
        if pk in locked
    ]
    if len(free) < 2:
        raise _Taken
    preferred = [pk for pk in (prefer or []) if pk in free]
    return (preferred + [pk for pk in free if pk not in preferred])[:2]


def _during(starts_at: datetime) -> DateTimeTZRange:
    return DateTimeTZRange(starts_at, starts_at + duration() + buffer(), "[)")


# --- booking --------------------------------------------------------------------------------


def appointment_book(
    *,
    member: Member,
    slot: Slot,
    question: str = "",
    now: datetime | None = None,
    by: User | None = None,
) -> Appointment:
    """Book a slot for a member with two free consultants; SlotTakenError when just taken.

    `by` is who books: the member themself (the default), or a consultant, coordinator or
    admin booking on the member's behalf (a member on the phone, perhaps without an e-mail
    address or an account). The same rules apply either way; `booked_by` records who it was.
    """
    now = now or timezone.now()
    try:
        return _book(member=member, slot=slot, question=question, now=now, by=by)
    except IntegrityError as error:
        if "consultant_never_double_booked" not in str(error):
            raise
        raise SlotTakenError(
            slot_search.next_free_slots(union_house_id=slot.union_house_id, after=slot.starts_at)
        ) from None
    except _Taken:
        raise SlotTakenError(
            slot_search.next_free_slots(union_house_id=slot.union_house_id, after=slot.starts_at)
        ) from None


def _book(
    *, member: Member, slot: Slot, question: str, now: datetime, by: User | None
) -> Appointment:
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
        )
        on_behalf = by is not None and by.pk != member.user_id
        if by is None:
            by = member.user
        elif on_behalf and not desk_members(by).filter(pk=member.pk).exists():
            raise ValidationError(_("Voor dit lid kun je geen afspraak maken."))
        if member.status != MemberStatus.ACTIVE or by is None:
            raise ValidationError(_("Alleen actieve leden kunnen een loopbaanafspraak maken."))
        maximum = knob("MAX_OPEN_PER_MEMBER")
        open_times = list(
            Appointment.objects.filter(member=member).upcoming().values_list("starts_at", "ends_at")
        )
        if len(open_times) >= maximum:
            raise ValidationError(
                _("Dit lid heeft al %(count)s open afspraken; meer kan niet tegelijk.")
                if on_behalf
                else _("Je hebt al %(count)s open afspraken; meer kan niet tegelijk."),
                params={"count": maximum},
                code="limit",
            )
        house = _check_place(slot.union_house_id)
        _check_window(slot.starts_at, now)
        ends_at = slot.starts_at + duration()
        if any(start < ends_at and slot.starts_at < end for start, end in open_times):
            raise ValidationError(
                _("Dit lid heeft op dat moment al een afspraak.")
                if on_behalf
                else _("Je hebt op dat moment al een afspraak.")
            )
        pair = _lock_free_pair(slot.union_house_id, slot.starts_at)
        appointment = Appointment(
            member=member,
            union_house=house,
            region_id=house.region_id if house else member.region_id,
            starts_at=slot.starts_at,
            ends_at=ends_at,
            question=question.strip()[:500],
            booked_by=by,
        )
        # Member, place, region and booker were just read; the constraints are the database's.
        appointment.full_clean(
            exclude=["member", "union_house", "region", "booked_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        appointment.save()
        # Should the exclusion constraint refuse this anyway, the whole booking rolls back
        # (see appointment_book).
        AppointmentConsultant.objects.bulk_create(
            [
                AppointmentConsultant(
                    appointment=appointment, consultant_id=pk, during=_during(slot.starts_at)
                )
                for pk in pair
            ]
        )
        # A member without an account gets no mail and no reminder: the desk prints a letter.
        recipients = [pk for pk in [member.user_id, *pair] if pk is not None]
        _ensure_reminders(appointment, recipients, now, fresh=True)
        audit_log(
            user=by,
            action="create",
            obj=appointment,
            subject_member_id=member.pk,
            detail="namens het lid geboekt" if on_behalf else "",
        )
        _enqueue_mail(appointment, "booked", recipients)
        return appointment


def appointment_move(
    *,
    appointment: Appointment,
    slot: Slot,
    user: User,
    now: datetime | None = None,
) -> Appointment:
    """Move to another slot (same row, same manage link); keeps the consultants when free."""
    now = now or timezone.now()
    try:
        return _move(appointment=appointment, slot=slot, user=user, now=now)
    except _Taken:
        raise SlotTakenError(
            slot_search.next_free_slots(union_house_id=slot.union_house_id, after=slot.starts_at)
        ) from None


def _move(*, appointment: Appointment, slot: Slot, user: User, now: datetime) -> Appointment:
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if not appointment.can_change(now):
            raise ValidationError(
                _("Verzetten kan tot %(hours)s uur voor de afspraak."),
                params={"hours": knob("CHANGE_CUTOFF_HOURS")},
            )
        house = _check_place(slot.union_house_id)
        _check_window(slot.starts_at, now)
        links = list(appointment.links.filter(is_active=True))
        current = [link.consultant_id for link in links]
        pair = _lock_free_pair(
            slot.union_house_id,
            slot.starts_at,
            exclude_appointment_id=appointment.pk,
            prefer=current,
        )
        dropped = [pk for pk in current if pk not in pair]
        added = [pk for pk in pair if pk not in current]
        try:
            with transaction.atomic():
                AppointmentConsultant.objects.filter(
                    appointment=appointment, consultant_id__in=dropped, is_active=True
                ).update(is_active=False)
                AppointmentConsultant.objects.filter(
                    appointment=appointment, consultant_id__in=pair, is_active=True
                ).update(during=_during(slot.starts_at))
                AppointmentConsultant.objects.bulk_create(
                    [
                        AppointmentConsultant(
                            appointment=appointment,
                            consultant_id=pk,
                            during=_during(slot.starts_at),
                        )
                        for pk in added
                    ]
                )
        except IntegrityError:
            raise _Taken from None
        appointment.union_house = house
        appointment.region_id = house.region_id if house else appointment.member.region_id
        appointment.starts_at = slot.starts_at
        appointment.ends_at = slot.starts_at + duration()
        appointment.needs_consultant = False
        appointment.sequence += 1
        appointment.full_clean()
        appointment.save()
        Reminder.objects.filter(appointment=appointment, recipient_id__in=dropped).delete()
        # A member without an account (booked for by phone) has no reminder and no mail.
        member_user_id = appointment.member.user_id
        member_ids = [member_user_id] if member_user_id is not None else []
        _ensure_reminders(appointment, [*member_ids, *pair], now)
        on_behalf = user.pk != member_user_id
        audit_log(
            user=user,
            action="change",
            obj=appointment,
            subject_member_id=appointment.member_id,
            detail="verzet namens het lid" if on_behalf else "verzet",
        )
        _enqueue_mail(appointment, "moved", [*member_ids, *[pk for pk in pair if pk not in added]])
        _enqueue_mail(appointment, "assigned", added)
        _enqueue_mail(appointment, "withdrawn", dropped)
        return appointment


def appointment_cancel(
    *,
    appointment: Appointment,
    user: User,
    now: datetime | None = None,
) -> Appointment:
    """Cancel: the member until the cutoff; the union (a member who phones, see loopbaan.desk)
    any time before the start."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if not appointment.is_open:
            raise ValidationError(_("Deze afspraak is al afgesloten of geannuleerd."))
        if user.role == Role.MEMBER and not appointment.can_change(now):
            raise ValidationError(
                _("Annuleren kan tot %(hours)s uur voor de afspraak."),
                params={"hours": knob("CHANGE_CUTOFF_HOURS")},
            )
        if appointment.starts_at <= now:
            raise ValidationError(_("Deze afspraak is al begonnen."))
        consultants = list(
            appointment.links.filter(is_active=True).values_list("consultant_id", flat=True)
        )
        appointment.links.filter(is_active=True).update(is_active=False)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.sequence += 1
        appointment.save(update_fields=["status", "cancelled_at", "sequence"])
        Reminder.objects.filter(appointment=appointment, sent_at__isnull=True).delete()
        audit_log(
            user=user,
            action="change",
            obj=appointment,
            subject_member_id=appointment.member_id,
            detail="geannuleerd"
            if user.pk == appointment.member.user_id
            else "geannuleerd namens het lid",
        )
        _enqueue_mail(appointment, "cancelled", [appointment.member.user_id, *consultants])
        return appointment


def appointment_withdraw_consultant(
    *,
    appointment: Appointment,
    consultant: User,
    now: datetime | None = None,
) -> User | None:
    """A consultant drops out. Returns the replacement, or None when nobody is free: then the
    member is told (with other slots) and the appointment shows on the coordinators' list."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        link = appointment.links.filter(consultant=consultant, is_active=True).first()
        if link is None:
            raise ValidationError(_("Je staat niet (meer) in deze afspraak."))
        if not appointment.is_open or appointment.starts_at <= now:
            raise ValidationError(_("Deze afspraak is al begonnen of afgesloten."))
        link.is_active = False
        link.withdrawn_at = now
        link.save(update_fields=["is_active", "withdrawn_at"])
        staying = list(
            appointment.links.filter(is_active=True).values_list("consultant_id", flat=True)
        )
        Reminder.objects.filter(appointment=appointment, recipient=consultant).delete()
        replacement_id = None
        candidates = slot_search.free_single_consultants_at(
            union_house_id=appointment.union_house_id,
            starts_at=appointment.starts_at,
            exclude_ids={consultant.pk, *staying},
        )
        if candidates:
            locked = list(
                User.objects.select_for_update(no_key=True)
                .filter(pk__in=candidates)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            recheck = slot_search.free_single_consultants_at(
                union_house_id=appointment.union_house_id,
                starts_at=appointment.starts_at,
                exclude_ids={consultant.pk, *staying},
            )
            for pk in recheck:
                if pk not in locked:
                    continue
                try:
                    with transaction.atomic():
                        AppointmentConsultant.objects.create(
                            appointment=appointment,
                            consultant_id=pk,
                            during=_during(appointment.starts_at),
                        )
                except IntegrityError:
                    continue
                replacement_id = pk
                break
        appointment.sequence += 1
        appointment.needs_consultant = replacement_id is None
        appointment.save(update_fields=["sequence", "needs_consultant"])
        audit_log(
            user=consultant,
            action="change",
            obj=appointment,
            subject_member_id=appointment.member_id,
            detail="consulent afgemeld",
        )
        _enqueue_mail(appointment, "withdrawn", [consultant.pk])
        if replacement_id is not None:
            _ensure_reminders(appointment, [replacement_id], now)
            _enqueue_mail(appointment, "assigned", [replacement_id])
            return User.objects.get(pk=replacement_id)
        _enqueue_mail(appointment, "needs_consultant", [appointment.member.user_id])
        return None


# --- report ---------------------------------------------------------------------------------


def report_save(
    *,
    appointment: Appointment,
    consultant: User,
    career_question: str,
    referrals: list[str],
    no_show: str = "",
    notes: str = "",
    referral_consent: bool = False,
    now: datetime | None = None,
) -> AppointmentReport:
    """The consultants' report after the talk. A referral to an individual trajectory is
    handed to the trajectories app once (members.events.trajectory_referral_made)."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if not appointment.links.filter(consultant=consultant, is_active=True).exists():
            raise ValidationError(
                _("Alleen de consulenten van deze afspraak schrijven het verslag.")
            )
        if appointment.status == AppointmentStatus.CANCELLED:
            raise ValidationError(_("Deze afspraak is geannuleerd."))
        if appointment.starts_at > now:
            raise ValidationError(_("Het verslag schrijf je na het gesprek."))
        report = AppointmentReport.objects.filter(appointment=appointment).first()
        created = report is None
        report = report or AppointmentReport(appointment=appointment)
        report.career_question = career_question
        report.referrals = sorted(set(referrals))
        report.no_show = no_show
        report.notes = notes.strip()
        report.written_by = consultant
        report.full_clean()
        report.save()
        status = AppointmentStatus.NO_SHOW if no_show == "member" else AppointmentStatus.HELD
        if appointment.status != status:
            appointment.status = status
            appointment.save(update_fields=["status"])
        if Referral.TRAJECTORY in report.referrals and report.trajectory_referral_sent_at is None:
            report.trajectory_referral_sent_at = now
            report.save(update_fields=["trajectory_referral_sent_at"])
            trajectory_referral_made.send(
                sender=AppointmentReport,
                member=appointment.member,
                region=appointment.member.region,
                source="appointment",
                source_id=appointment.pk,
                note="",
            )
        member = appointment.member
        refer(  # each other referral becomes a task for its receiver (the referrals app)
            by=consultant,
            source=Source(
                app="loopbaan",
                id=report.pk,
                member=member,
                region=member.region,
                sector=member.sector,
                employer=member.employer,
                topic=str(report.get_career_question_display()),
                summary=report.notes,
            ),
            kinds=report.referrals,
            consent=referral_consent,
        )
        audit_log(
            user=consultant,
            action="create" if created else "change",
            obj=report,
            subject_member_id=appointment.member_id,
        )
        return report


# --- availability ---------------------------------------------------------------------------


def availability_add(
    *,
    consultant: User,
    union_house: UnionHouse | None,
    kind: str,
    start_time: time,
    end_time: time,
    weekday: int | None = None,
    on_date: date | None = None,
) -> Availability:
    if union_house is None and not consultant.serves_online:
        raise ValidationError(_("Je houdt geen online spreekuur."))
    if union_house is not None and not consultant.union_houses.filter(pk=union_house.pk).exists():
        raise ValidationError(_("Je houdt geen spreekuur in dit vakbondshuis."))
    availability = Availability(
        consultant=consultant,
        union_house=union_house,
        kind=kind,
        weekday=weekday if kind == AvailabilityKind.WEEKLY else None,
        date=on_date if kind == AvailabilityKind.ONCE else None,
        start_time=start_time,
        end_time=end_time,
    )
    with transaction.atomic():
        availability.full_clean()
        availability.save()
    return availability


def availability_delete(*, availability: Availability) -> None:
    availability.delete()


def blocked_day_add(*, consultant: User, on_date: date, reason: str = "") -> BlockedDay:
    with transaction.atomic():
        day, _created = BlockedDay.objects.get_or_create(
            consultant=consultant, date=on_date, defaults={"reason": reason.strip()[:100]}
        )
    return day


def weekly_max_set(*, consultant: User, weekly_max: int) -> ConsultantProfile:
    if not 0 <= weekly_max <= 40:
        raise ValidationError(_("Kies een aantal tussen 0 en 40."))
    with transaction.atomic():
        profile, _created = ConsultantProfile.objects.update_or_create(
            consultant=consultant, defaults={"weekly_max": weekly_max}
        )
    return profile


def weekly_max_of(consultant: User) -> int:
    profile = ConsultantProfile.objects.filter(consultant=consultant).first()
    return profile.weekly_max if profile else knob("DEFAULT_WEEKLY_MAX")
