"""Making referrals and moving them on: accepted, done (with an outcome), declined (with a
reason). Each step is a compare-and-swap on the status, so two people at once cannot both win,
and each writes the audit trail given the acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.conf import feature_setting
from members.models import Employer, Member, Sector, User
from referrals.models import TEXT_MAX, Kind, Referral, Status
from referrals.routing import route
from regions.models import Region

DUE_WORKING_DAYS = 5


def due_working_days() -> int:
    return int(feature_setting("REFERRAL_DUE_WORKING_DAYS", DUE_WORKING_DAYS))


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """`days` working days (Monday to Friday) after `moment`, at the same time of day."""
    result = moment
    while days > 0:
        result += dt.timedelta(days=1)
        if timezone.localtime(result).weekday() < 5:
            days -= 1
    return result


@dataclass(frozen=True)
class Source:
    """Where a referral comes from, as the source app describes it (app label and id: this app
    never imports the source). `topic` is the themes or the career question; `summary` is
    passed on only with the member's consent."""

    app: str
    id: int
    member: Member | None
    region: Region | None
    sector: Sector | None
    employer: Employer | None
    topic: str = ""
    summary: str = ""


def _contact(member: Member) -> str:
    return " · ".join(part for part in (member.email, member.phone) if part)


@transaction.atomic
def refer(
    *,
    by: User,
    source: Source,
    kinds: Iterable[str],
    consent: bool,
    now: dt.datetime | None = None,
) -> list[Referral]:
    """A task for the receiver of each kind (values other than `Kind`'s, such as loopbaan's
    individual trajectory, have their own hand-off and are skipped). A kind already referred
    from this source is not referred again, so correcting a session adds only what is new."""
    now = now or timezone.now()
    wanted = [kind for kind in dict.fromkeys(kinds) if kind in Kind.values]
    existing = set(
        Referral.objects.filter(source_app=source.app, source_id=source.id).values_list(
            "kind", flat=True
        )
    )
    member = source.member
    sector = source.sector or (member.sector if member is not None else None)
    made = []
    for kind in wanted:
        if kind in existing:
            continue
        routed_to, fallback_reason = route(kind=kind, region=source.region, sector=sector)
        referral = Referral(
            source_app=source.app,
            source_id=source.id,
            kind=kind,
            routed_to=routed_to,
            fallback_reason=fallback_reason,
            region=source.region,
            sector=sector,
            member=member,
            referred_by=by,
            consent=consent,
            member_name=member.display_name if consent and member is not None else "",
            member_contact=_contact(member) if consent and member is not None else "",
            summary=source.summary.strip() if consent else "",
            topic=source.topic[:300],
            employer_name=source.employer.name if source.employer is not None else "",
            due_at=add_working_days(now, due_working_days()),
            created_at=now,
        )
        referral.full_clean()
        referral.save()
        audit_log(
            user=by,
            action=AuditAction.CREATE,
            obj=referral,
            subject_member_id=referral.member_id,
            detail="doorverwijzing zonder eigen ontvanger" if fallback_reason else "",
        )
        made.append(referral)
    return made


def _handled(referral: Referral, by: User) -> Referral:
    """The referral as `by` may handle it, or a refusal that changes nothing."""
    found = Referral.objects.handled_by(by).filter(pk=referral.pk).first()
    if found is None:
        raise ValidationError(_("Deze doorverwijzing kun je niet behandelen."))
    return found


def _swap(referral: Referral, *, from_statuses: tuple[str, ...], **changes: object) -> Referral:
    """Change the status only if it is still one of `from_statuses` (one of two wins)."""
    updated = Referral.objects.filter(pk=referral.pk, status__in=from_statuses).update(**changes)
    if not updated:
        raise ValidationError(
            _("Iemand anders heeft deze doorverwijzing net behandeld. Bekijk de nieuwe stand.")
        )
    referral.refresh_from_db()
    return referral


def _text(value: str, *, missing: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(missing)
    if len(value) > TEXT_MAX:
        raise ValidationError(
            _("Gebruik hoogstens %(max)s tekens (nu %(n)s).") % {"max": TEXT_MAX, "n": len(value)}
        )
    return value


@transaction.atomic
def accept(*, referral: Referral, by: User, now: dt.datetime | None = None) -> Referral:
    referral = _handled(referral, by)
    referral = _swap(
        referral,
        from_statuses=(Status.NEW,),
        status=Status.ACCEPTED,
        accepted_at=now or timezone.now(),
        accepted_by=by,
    )
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=referral,
        subject_member_id=referral.member_id,
        detail="doorverwijzing opgepakt",
    )
    return referral


@transaction.atomic
def complete(
    *, referral: Referral, by: User, outcome: str, now: dt.datetime | None = None
) -> Referral:
    """Close with the outcome the referring consultant will read."""
    outcome = _text(outcome, missing=_("Schrijf kort op wat de uitkomst is."))
    referral = _handled(referral, by)
    now = now or timezone.now()
    changes: dict[str, object] = {
        "status": Status.DONE,
        "outcome": outcome,
        "closed_at": now,
        "closed_by": by,
    }
    if referral.accepted_at is None:
        changes.update(accepted_at=now, accepted_by=by)
    referral = _swap(referral, from_statuses=(Status.NEW, Status.ACCEPTED), **changes)
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=referral,
        subject_member_id=referral.member_id,
        detail="doorverwijzing afgerond",
    )
    return referral


@transaction.atomic
def decline(
    *, referral: Referral, by: User, reason: str, now: dt.datetime | None = None
) -> Referral:
    """Decline with a reason (required): the referring consultant reads it."""
    reason = _text(reason, missing=_("Schrijf op waarom je de doorverwijzing afwijst."))
    referral = _handled(referral, by)
    referral = _swap(
        referral,
        from_statuses=(Status.NEW, Status.ACCEPTED),
        status=Status.DECLINED,
        decline_reason=reason,
        closed_at=now or timezone.now(),
        closed_by=by,
    )
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=referral,
        subject_member_id=referral.member_id,
        detail="doorverwijzing afgewezen",
    )
    return referral
