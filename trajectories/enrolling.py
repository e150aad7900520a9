"""Enrolling in workshops: a place or the waiting list, cancelling (the first on the waiting list
moves up and is told), and attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.roles import Role
from members.models import User
from trajectories.access import require_adviser_of, subject_of
from trajectories.models import (
    Enrolment,
    EnrolmentStatus,
    Trajectory,
    WorkshopSession,
)
from trajectories.tasks import send_moved_up_mail


def _may_enrol_for(by: User, trajectory: Trajectory) -> bool:
    if by.role == Role.ADVISER:
        return trajectory.adviser_id == by.pk
    if by.role == Role.MEMBER:
        return trajectory.member is not None and trajectory.member.user_id == by.pk
    return False


@transaction.atomic
def enrol(*, by: User, trajectory: Trajectory, session: WorkshopSession) -> Enrolment:
    """A place in the session, or on its waiting list when it is full. The session row is
    locked, so concurrent enrolments are counted one after the other and never exceed it."""
    if not _may_enrol_for(by, trajectory):
        raise ValidationError(_("Je kunt alleen voor je eigen traject inschrijven."))
    session = (
        WorkshopSession.objects.select_for_update().select_related("workshop").get(pk=session.pk)
    )
    if trajectory.is_finished:
        raise ValidationError(_("Inschrijven kan alleen tijdens een lopend traject."))
    if session.starts_at <= timezone.now() or not session.workshop.is_active:
        raise ValidationError(_("Voor deze bijeenkomst kun je je niet meer inschrijven."))
    if session.enrolments.active().filter(trajectory=trajectory).exists():
        raise ValidationError(_("Je staat al ingeschreven of op de wachtlijst."))
    taken = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    status = EnrolmentStatus.ENROLLED if taken < session.capacity else EnrolmentStatus.WAITING
    enrolment = Enrolment.objects.create(
        session=session, trajectory=trajectory, status=status, enrolled_by=by
    )
    audit_log(
        user=by, action=AuditAction.CREATE, obj=enrolment, subject_member_id=subject_of(trajectory)
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(*, by: User, enrolment: Enrolment, audit: bool = True) -> Enrolment | None:
    """Cancel a place; when it was a real place, the first on the waiting list moves up and
    hears about it by mail. Returns the enrolment that moved up, if any."""
    trajectory = enrolment.trajectory
    if not _may_enrol_for(by, trajectory):
        raise ValidationError(_("Je kunt alleen je eigen inschrijvingen afmelden."))
    session = WorkshopSession.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise ValidationError(_("Deze inschrijving is al afgemeld."))
    was_enrolled = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at"])
    if audit:
        audit_log(
            user=by,
            action=AuditAction.CHANGE,
            obj=enrolment,
            detail="afgemeld",
            subject_member_id=subject_of(trajectory),
        )
    if not was_enrolled or session.starts_at <= timezone.now():
        return None
    promoted = (
        session.enrolments.filter(status=EnrolmentStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if promoted is None:
        return None
    promoted.status = EnrolmentStatus.ENROLLED
    promoted.promoted_at = timezone.now()
    promoted.save(update_fields=["status", "promoted_at"])
    send_moved_up_mail.delay_on_commit(promoted.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return promoted


@transaction.atomic
def attendance_record(*, by: User, enrolment: Enrolment, attended: bool) -> Enrolment:
    require_adviser_of(by, enrolment.trajectory)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Alleen bij een inschrijving hoort een aanwezigheid."))
    if enrolment.session.starts_at > timezone.now():
        raise ValidationError(_("Aanwezigheid vul je in als de bijeenkomst begonnen is."))
    enrolment.attended = attended
    enrolment.save(update_fields=["attended"])
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=enrolment,
        detail="aanwezigheid",
        subject_member_id=subject_of(enrolment.trajectory),
    )
    return enrolment
