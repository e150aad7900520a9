"""Writes of the signals app: sessions, consent, employers, signal lifecycle and notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.roles import Role
from members.models import Employer, Member, Sector, User
from referrals.services import Source, refer
from regions.models import Region, UnionHouse
from signals.detection import employer_key
from signals.models import (
    ACTIVE_STATUSES,
    Consent,
    ConsentScope,
    ConsentSource,
    ConsultationSession,
    Place,
    SessionTheme,
    Signal,
    SignalAction,
    SignalNotification,
    SignalSession,
    SignalStatus,
    Theme,
)

# --- sessions ---------------------------------------------------------------------------------


def _session_region(
    *, place: str, union_house: UnionHouse | None, member: Member | None, consultant: User
) -> Region | None:
    """Where the session counts: the union house; else the member's region; else the
    consultant's (first) union house."""
    if place == Place.UNION_HOUSE and union_house is not None:
        return union_house.region
    if member is not None and member.region_id:
        return member.region
    house = consultant.union_houses.order_by("pk").first()
    return house.region if house else None


def _count_themes(session: ConsultationSession, theme_ids: Iterable[int], delta: int) -> None:
    """Add `delta` to the per-day theme counts of the session's region and sector."""
    theme_ids = list(theme_ids)
    if not theme_ids:
        return
    with connection.cursor() as cursor:
        for column, value in (("region_id", session.region_id), ("sector_id", session.sector_id)):
            if value is None:
                continue
            cursor.execute(
                f"""
                INSERT INTO signals_themedaycount (day, theme_id, {column}, count)
                SELECT %s, unnest(%s::bigint[]), %s, %s
                ON CONFLICT (day, theme_id, {column}) WHERE {column} IS NOT NULL
                DO UPDATE SET count = signals_themedaycount.count + EXCLUDED.count
                """,
                [session.day, theme_ids, value, delta],
            )


def _write_themes(session: ConsultationSession, themes: list[Theme]) -> None:
    SessionTheme.objects.bulk_create(
        [
            SessionTheme(
                session=session,
                theme=theme,
                day=session.day,
                region_id=session.region_id,
                sector_id=session.sector_id,
                employer_id=session.employer_id,
            )
            for theme in themes
        ]
    )
    _count_themes(session, [t.pk for t in themes], 1)


def consent_sector_id(session: ConsultationSession) -> int | None:
    """The sector whose officials the member agrees to share with: the session's sector (the
    employer's), or the member's own when the session has none."""
    if session.sector_id is not None:
        return session.sector_id
    return session.member.sector_id if session.member is not None else None


def _set_consent(
    session: ConsultationSession,
    *,
    given: bool,
    by: User,
    scope: str = ConsentScope.SHARE_WITH_SECTOR_OFFICIAL,
) -> None:
    """One consent of `scope` in force, or none. A consent to be contacted needs a member."""
    if scope != ConsentScope.SHARE_WITH_SECTOR_OFFICIAL and session.member_id is None:
        given = False
    active = session.consents.filter(withdrawn_at__isnull=True, scope=scope)
    # A consent is the member's own: when the session is corrected to another member, the
    # earlier member's consent ends rather than travelling with the session.
    # member_id=None is IS NULL to Django; the plugin's lookup types leave None out.
    active.exclude(member_id=session.member_id).update(withdrawn_at=timezone.now())  # type: ignore[misc]
    if given and not active.exists():
        Consent.objects.create(
            session=session,
            member=session.member,
            scope=scope,
            source=ConsentSource.SESSION,
            recorded_by=by,
            recipient_role=Role.SECTOR_OFFICIAL,
            recipient_sector_id=consent_sector_id(session),
        )
    elif not given:
        active.update(withdrawn_at=timezone.now())


def _check_session(
    *, consultant: User, place: str, union_house: UnionHouse | None, themes: list[Theme]
) -> None:
    if consultant.role != Role.CONSULTANT:
        raise ValidationError(_("Alleen consulenten leggen spreekuurgesprekken vast."))
    if place == Place.UNION_HOUSE and union_house is None:
        raise ValidationError(_("Kies het vakbondshuis waar het gesprek was."))
    if not themes:
        raise ValidationError(_("Kies minstens één thema."))


@dataclass(frozen=True)
class SessionDetails:
    """What a consultant records about one session: the same for logging and correcting."""

    at: dt.datetime
    place: str
    union_house: UnionHouse | None
    kind: str
    member: Member | None
    employer: Employer | None
    sector: Sector | None
    themes: list[Theme]
    summary: str = ""
    referrals: list[str] = field(default_factory=list)
    consent_to_share: bool = False
    follow_up_needed: bool = False
    consent_to_contact: bool = False  # about collective action, by the sector's official
    referral_consent: bool = False  # name and summary may go to the referrals' receivers


def _write_details(session: ConsultationSession, details: SessionDetails, consultant: User) -> None:
    """Check the details and put them on the session (not yet saved)."""
    _check_session(
        consultant=consultant,
        place=details.place,
        union_house=details.union_house,
        themes=details.themes,
    )
    employer = details.employer
    if employer is not None and employer.merged_into_id:
        employer = employer.merged_into
    session.at = details.at
    session.day = timezone.localdate(details.at)
    session.place = details.place
    session.union_house = details.union_house if details.place == Place.UNION_HOUSE else None
    session.region = _session_region(
        place=details.place,
        union_house=details.union_house,
        member=details.member,
        consultant=consultant,
    )
    session.kind = details.kind
    session.member = details.member
    session.is_member = details.member is not None
    session.employer = employer
    session.sector = details.sector or (employer.sector if employer is not None else None)
    session.summary = details.summary.strip()
    session.referrals = sorted(set(details.referrals))
    session.consent_to_share = details.consent_to_share
    session.follow_up_needed = details.follow_up_needed


def _refer(session: ConsultationSession, details: SessionDetails, by: User) -> None:
    """Each referral becomes a task for its receiver (the referrals app); those of a
    correction that were referred before are not referred again."""
    source = Source(
        app="signals",
        id=session.pk,
        member=session.member,
        region=session.region,
        sector=session.sector,
        employer=session.employer,
        topic=", ".join(theme.name for theme in details.themes),
        summary=session.summary,
    )
    refer(by=by, source=source, kinds=session.referrals, consent=details.referral_consent)


@transaction.atomic
def session_log(
    *, consultant: User, details: SessionDetails, is_demo: bool = False
) -> ConsultationSession:
    """Log one session, with its themes counted for detection and the member's consent."""
    session = ConsultationSession(consultant=consultant, is_demo=is_demo)
    _write_details(session, details, consultant)
    session.full_clean()
    session.save()
    _write_themes(session, details.themes)
    _set_consent(session, given=details.consent_to_share, by=consultant)
    _set_consent(
        session,
        given=details.consent_to_contact,
        by=consultant,
        scope=ConsentScope.CONTACT_COLLECTIVE,
    )
    _refer(session, details, consultant)
    audit_log(
        user=consultant,
        action=AuditAction.CREATE,
        obj=session,
        subject_member_id=session.member_id,
    )
    return session


@transaction.atomic
def session_update(
    *, session: ConsultationSession, by: User, details: SessionDetails
) -> ConsultationSession:
    """Correct one's own session within the correction period."""
    session = ConsultationSession.objects.select_for_update().get(pk=session.pk)
    if session.consultant_id != by.pk or not session.is_correctable:
        raise ValidationError(_("Dit gesprek kan niet meer worden gewijzigd."))
    # _write_details checks the details; a refusal there rolls the recount back with the rest.
    old_theme_ids = list(session.sessiontheme_set.values_list("theme_id", flat=True))
    _count_themes(session, old_theme_ids, -1)
    session.sessiontheme_set.all().delete()
    _write_details(session, details, by)
    session.updated_at = timezone.now()
    session.full_clean()
    session.save()
    _write_themes(session, details.themes)
    _set_consent(session, given=details.consent_to_share, by=by)
    _set_consent(
        session, given=details.consent_to_contact, by=by, scope=ConsentScope.CONTACT_COLLECTIVE
    )
    _refer(session, details, by)
    audit_log(user=by, action=AuditAction.CHANGE, obj=session, subject_member_id=session.member_id)
    return session


@transaction.atomic
def consent_withdraw(
    *, session: ConsultationSession, by: User | None = None, scope: str | None = None
) -> int:
    """Withdraw consent now: from this moment no view shows the member's identity or summary.
    `scope`: withdraw only the consent for that use (the member's page withdraws one at a
    time); None: every consent of the session."""
    consents = session.consents.filter(withdrawn_at__isnull=True)
    if scope is not None:
        consents = consents.filter(scope=scope)
    updated = consents.update(withdrawn_at=timezone.now())
    if scope in (None, ConsentScope.SHARE_WITH_SECTOR_OFFICIAL):
        ConsultationSession.objects.filter(pk=session.pk).update(consent_to_share=False)
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=session,
        subject_member_id=session.member_id,
        detail="toestemming ingetrokken door het lid"
        if by is not None and by.role == Role.MEMBER
        else "toestemming ingetrokken",
    )
    return updated


# --- employers --------------------------------------------------------------------------------


@transaction.atomic
def employer_propose(
    *, name: str, kvk_number: str = "", sector: Sector | None, by: User
) -> Employer:
    """A consultant proposes an employer that is not in the list; an admin confirms or merges."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Vul de naam van de werkgever in."))
    if kvk_number:
        existing = Employer.objects.filter(kvk_number=kvk_number).first()
        if existing:
            return existing.merged_into or existing
    employer = Employer(
        name=name, kvk_number=kvk_number, sector=sector, is_confirmed=False, proposed_by=by
    )
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def employer_confirm(*, employer: Employer, by: User) -> Employer:
    updated = Employer.objects.filter(pk=employer.pk, merged_into__isnull=True).update(
        is_confirmed=True
    )
    if not updated:
        raise ValidationError(_("Deze werkgever is al samengevoegd."))
    employer.refresh_from_db()
    return employer


@transaction.atomic
def employer_merge(*, source: Employer, target: Employer, by: User) -> Employer:
    """Merge `source` into `target`: sessions, signals and members move; the name becomes an
    alias. An active signal of the source for a key the target also has joins the target's."""
    if source.pk == target.pk:
        raise ValidationError(_("Een werkgever kan niet met zichzelf worden samengevoegd."))
    source, target = (
        Employer.objects.select_for_update().get(pk=source.pk),
        Employer.objects.select_for_update().get(pk=target.pk),
    )
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(_("Een van beide werkgevers is al samengevoegd."))
    ConsultationSession.objects.filter(employer=source).update(
        employer=target, updated_at=timezone.now()
    )
    SessionTheme.objects.filter(employer=source).update(employer=target)
    Member.objects.filter(employer=source).update(employer=target)
    for signal in Signal.objects.select_for_update().filter(employer=source):
        new_key = employer_key(target.pk, signal.theme_id)
        twin = (
            Signal.objects.active().filter(rule=signal.rule, key=new_key).first()
            if signal.is_active
            else None
        )
        if twin is not None:
            SignalSession.objects.bulk_create(
                [
                    SignalSession(signal=twin, session_id=sid)
                    for sid in signal.sessions.values_list("pk", flat=True)
                ],
                ignore_conflicts=True,
            )
            twin.count = twin.sessions.count()
            twin.save(update_fields=["count", "updated_at"])
            signal.status = SignalStatus.DISMISSED
            signal.dismiss_reason = _("Samengevoegd met signaal %(id)s.") % {"id": twin.pk}
            signal.ended_at = timezone.now()
            signal.ended_by = by
        signal.employer = target
        signal.key = new_key
        signal.save()
    aliases = [*target.aliases, source.name, *source.aliases]
    target.aliases = list(dict.fromkeys(a for a in aliases if a and a != target.name))
    if not target.kvk_number and source.kvk_number:
        kvk = source.kvk_number
        source.kvk_number = ""
        source.save(update_fields=["kvk_number"])
        target.kvk_number = kvk
    if target.sector_id is None:
        target.sector_id = source.sector_id
    target.is_confirmed = True
    target.full_clean()
    target.save()
    source.merged_into = target
    source.is_confirmed = False
    source.save(update_fields=["merged_into", "is_confirmed"])
    return target


# --- signal lifecycle (compare-and-swap) ------------------------------------------------------


def _transition(
    signal: Signal, *, by: User, step: str, from_statuses: list[str], **changes: Any
) -> Signal:
    updated = Signal.objects.filter(pk=signal.pk, status__in=from_statuses).update(
        updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ValidationError(
            _(
                "Dit signaal is intussen gewijzigd of heeft die stap al gehad. Laad de pagina opnieuw."
            )
        )
    signal.refresh_from_db()
    audit_log(user=by, action=AuditAction.CHANGE, obj=signal, detail=step)
    return signal


@transaction.atomic
def signal_acknowledge(*, signal: Signal, by: User) -> Signal:
    return _transition(
        signal,
        by=by,
        step="acknowledge",
        from_statuses=[SignalStatus.OPEN],
        status=SignalStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
    )


@transaction.atomic
def signal_start(*, signal: Signal, by: User, action: str) -> Signal:
    if action not in SignalAction.values:
        raise ValidationError(_("Kies welke actie is ondernomen."))
    return _transition(
        signal,
        by=by,
        step="start",
        from_statuses=[SignalStatus.ACKNOWLEDGED],
        status=SignalStatus.IN_PROGRESS,
        action=action,
    )


@transaction.atomic
def signal_close(*, signal: Signal, by: User, outcome: str) -> Signal:
    if not outcome.strip():
        raise ValidationError(_("Beschrijf de uitkomst."))
    return _transition(
        signal,
        by=by,
        step="close",
        from_statuses=[SignalStatus.ACKNOWLEDGED, SignalStatus.IN_PROGRESS],
        status=SignalStatus.CLOSED,
        outcome=outcome.strip(),
        ended_at=timezone.now(),
        ended_by=by,
    )


@transaction.atomic
def signal_dismiss(*, signal: Signal, by: User, reason: str) -> Signal:
    if not reason.strip():
        raise ValidationError(_("Geef een reden."))
    return _transition(
        signal,
        by=by,
        step="dismiss",
        from_statuses=[SignalStatus.OPEN, SignalStatus.ACKNOWLEDGED, SignalStatus.IN_PROGRESS],
        status=SignalStatus.DISMISSED,
        dismiss_reason=reason.strip(),
        ended_at=timezone.now(),
        ended_by=by,
    )


@transaction.atomic
def signal_take_up(*, signal: Signal, by: User, action: str) -> Signal:
    """Another part of the portal acts on the signal (a collective case is opened or linked):
    an open or seen signal moves to in progress with that action; one already in progress
    keeps its status. A finished signal is refused."""
    if action not in SignalAction.values:
        raise ValidationError(_("Kies welke actie is ondernomen."))
    if signal.status == SignalStatus.IN_PROGRESS:
        return signal
    return _transition(
        signal,
        by=by,
        step=f"start {action}",
        from_statuses=[SignalStatus.OPEN, SignalStatus.ACKNOWLEDGED],
        status=SignalStatus.IN_PROGRESS,
        action=action,
        acknowledged_at=signal.acknowledged_at or timezone.now(),
        acknowledged_by=signal.acknowledged_by or by,
    )


@transaction.atomic
def signal_record_outcome(*, signal: Signal, by: User, outcome: str) -> Signal:
    """The outcome of what was done about the signal (a collective case's outcome): an active
    signal closes with it; a finished one keeps its status and gets the outcome added."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError(_("Beschrijf de uitkomst."))
    if signal.is_active:
        return _transition(
            signal,
            by=by,
            step="close with outcome",
            from_statuses=[s.value for s in ACTIVE_STATUSES],
            status=SignalStatus.CLOSED,
            outcome=outcome,
            ended_at=timezone.now(),
            ended_by=by,
        )
    combined = f"{signal.outcome}\n\n{outcome}".strip() if signal.outcome else outcome
    Signal.objects.filter(pk=signal.pk).update(outcome=combined, updated_at=timezone.now())
    signal.refresh_from_db()
    audit_log(user=by, action=AuditAction.CHANGE, obj=signal, detail="outcome")
    return signal


# --- notifications ----------------------------------------------------------------------------


def notifications_mark_read(*, user: User, signal: Signal) -> int:
    """The person has read what they were told about this signal."""
    return SignalNotification.objects.filter(
        signal=signal, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
