"""Writes of collective cases opened from signals: open, link, invite, accept, outcome.

Each takes the acting user, checks that user's scope itself (a view's check is not the only
one), and writes the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from casework.models import CaseInvitation, CaseParticipant, CaseSignal, InvitationStatus
from casework.selectors import invitable_members, region_of
from casework.tasks import send_invitation_mails
from core.roles import Role
from members.models import User
from signals import services as signal_services
from signals.models import Signal, SignalAction
from trajectories.models import CollectiveCase, CollectiveCaseKind, CollectiveCaseStatus


def _check_official_of(signal: Signal, by: User) -> None:
    if (
        by.role != Role.SECTOR_OFFICIAL
        or not by.is_active
        or not Signal.objects.visible_to(by).filter(pk=signal.pk).exists()
    ):
        raise ValidationError(_("Alleen de sectorbestuurder van dit signaal kan dit doen."))


def _check_case_official(case: CollectiveCase, by: User) -> None:
    if (
        by.role != Role.SECTOR_OFFICIAL
        or not by.is_active
        or not CollectiveCase.objects.visible_to(by).filter(pk=case.pk).exists()
    ):
        raise ValidationError(_("Alleen de sectorbestuurder van deze zaak kan dit doen."))


def _link(case: CollectiveCase, signal: Signal, by: User) -> CaseSignal:
    if CaseSignal.objects.filter(signal=signal).exists():
        raise ValidationError(_("Dit signaal hoort al bij een collectieve zaak."))
    if not signal.is_active:
        raise ValidationError(_("Dit signaal is al afgehandeld."))
    link = CaseSignal.objects.create(case=case, signal=signal, linked_by=by)
    signal_services.signal_take_up(signal=signal, by=by, action=SignalAction.COLLECTIVE_CASE)
    return link


@transaction.atomic
def case_open_from_signal(
    *, signal: Signal, by: User, name: str, kind: str, description: str = ""
) -> CollectiveCase:
    """A new case at the signal's employer, in its region and sector, with the signal in it."""
    _check_official_of(signal, by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.employer_id is None:
        raise ValidationError(
            _("Dit signaal gaat niet over één werkgever. Koppel het aan een bestaande zaak.")
        )
    region = region_of(signal)
    if region is None:
        raise ValidationError(_("De regio van dit signaal is niet bekend."))
    if kind not in CollectiveCaseKind.values:
        raise ValidationError({"kind": _("Kies de soort zaak.")})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Geef de zaak een naam.")})
    employer = signal.employer
    assert employer is not None  # checked above
    case = CollectiveCase(
        name=name,
        kind=kind,
        employer=employer,
        region=region,
        sector=signal.sector or employer.sector,
        description=description.strip(),
        created_by=by,
    )
    case.full_clean()
    case.save()
    _link(case, signal, by)
    audit_log(
        user=by, action=AuditAction.CREATE, obj=case, detail=f"geopend uit signaal {signal.pk}"
    )
    return case


@transaction.atomic
def case_link_signal(*, case: CollectiveCase, signal: Signal, by: User) -> CaseSignal:
    _check_official_of(signal, by)
    _check_case_official(case, by)
    case = CollectiveCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("Deze zaak is afgesloten."))
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    link = _link(case, signal, by)
    audit_log(user=by, action=AuditAction.CHANGE, obj=case, detail=f"signaal {signal.pk} gekoppeld")
    return link


@transaction.atomic
def case_invite(*, case: CollectiveCase, by: User, expected: int) -> int:
    """Invite, in one action, every member who may be invited now. `expected`: the number the
    official confirmed; when it changed meanwhile (a consent withdrawn), nothing is sent and
    the official looks again."""
    _check_case_official(case, by)
    case = CollectiveCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("Deze zaak is afgesloten."))
    members = list(invitable_members(case, by=by))
    if len(members) != expected:
        raise ValidationError(
            _("Het aantal leden is intussen veranderd. Bekijk het aantal opnieuw en bevestig.")
        )
    if not members:
        raise ValidationError(_("Er is niemand om uit te nodigen."))
    invitations = CaseInvitation.objects.bulk_create(
        [CaseInvitation(case=case, member=member, invited_by=by) for member in members]
    )
    for invitation in invitations:
        audit_log(
            user=by,
            action=AuditAction.CREATE,
            obj=invitation,
            subject_member_id=invitation.member_id,
            detail="uitgenodigd voor collectieve zaak",
        )
    send_invitation_mails.delay_on_commit(case.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return len(invitations)


@transaction.atomic
def invitation_answer(*, invitation: CaseInvitation, by: User, accept: bool) -> CaseInvitation:
    """The invited member answers (logged in, their own invitation). Accepting makes them a
    participant of the case; an answer is given once."""
    if by.role != Role.MEMBER or invitation.member.user_id != by.pk:
        raise ValidationError(_("Deze uitnodiging is niet voor jou."))
    if not invitation.case.is_open:
        raise ValidationError(_("Deze zaak is afgesloten; meedoen kan niet meer."))
    status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    updated = CaseInvitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).update(
        status=status, answered_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Je hebt deze uitnodiging al beantwoord."))
    invitation.refresh_from_db()
    if accept:
        CaseParticipant.objects.create(
            case=invitation.case, member=invitation.member, invitation=invitation
        )
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=invitation,
        subject_member_id=invitation.member_id,
        detail="uitnodiging aangenomen" if accept else "uitnodiging afgeslagen",
    )
    return invitation


@transaction.atomic
def case_record_outcome(*, case: CollectiveCase, by: User, outcome: str) -> CollectiveCase:
    """Close the case with its outcome; the outcome goes to each of its signals."""
    _check_case_official(case, by)
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": _("Beschrijf de uitkomst van de zaak.")})
    updated = CollectiveCase.objects.filter(pk=case.pk, status=CollectiveCaseStatus.OPEN).update(
        status=CollectiveCaseStatus.CLOSED, outcome=outcome, closed_at=timezone.now(), closed_by=by
    )
    if not updated:
        raise ValidationError(_("Deze zaak is al afgesloten."))
    case.refresh_from_db()
    note = _("Collectieve zaak '%(name)s': %(outcome)s") % {"name": case.name, "outcome": outcome}
    for signal in Signal.objects.select_for_update().filter(case_link__case=case):
        signal_services.signal_record_outcome(signal=signal, by=by, outcome=note)
    audit_log(user=by, action=AuditAction.CHANGE, obj=case, detail="uitkomst vastgelegd")
    return case
