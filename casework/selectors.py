"""Reads of collective cases: their signals with the evidence behind them, who may be invited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from casework.models import CaseSignal
from core.roles import Role
from members.models import Member, User
from regions.models import Region
from signals.models import Consent, ConsentScope, ConsultationSession, Signal
from signals.selectors import Evidence, signal_evidence
from trajectories.models import CollectiveCase, CollectiveCaseQuerySet, CollectiveCaseStatus


@dataclass
class SignalWithEvidence:
    signal: Signal
    evidence: Evidence


def case_signals(case: CollectiveCase, *, viewer: User) -> list[SignalWithEvidence]:
    """The case's signals, each with its evidence as signals shows it to `viewer`: counts under
    the minimum-group rule, identities only where a member's consent names the viewer."""
    signals = Signal.objects.filter(case_link__case=case).select_related(
        "rule", "employer", "theme", "region", "sector"
    )
    return [SignalWithEvidence(s, signal_evidence(s, viewer=viewer)) for s in signals]


def case_for_signal(signal: Signal) -> CollectiveCase | None:
    link = CaseSignal.objects.filter(signal=signal).select_related("case").first()
    return link.case if link else None


def region_of(signal: Signal) -> Region | None:
    """The signal's region, else the region where most of its sessions took place."""
    if signal.region_id is not None:
        return signal.region
    counts = Counter(
        signal.sessions.exclude(region=None).values_list("region_id", flat=True)
    ).most_common(1)
    return Region.objects.get(pk=counts[0][0]) if counts else None


def invitable_members(case: CollectiveCase, *, by: User) -> QuerySet[Member]:
    """Members whose session lies behind one of the case's signals and whose consent, in
    force, lets an official of `by`'s sectors contact them about collective action; with an
    account to answer with, not erased, and not invited to this case before. Nobody else:
    a member who did not consent is never selected, counted or named here."""
    if by.role != Role.SECTOR_OFFICIAL or not by.is_active:
        return Member.objects.none()
    sessions = ConsultationSession.objects.filter(signals__case_link__case=case)
    consents = Consent.objects.filter(
        session__in=sessions,
        scope=ConsentScope.CONTACT_COLLECTIVE,
        withdrawn_at__isnull=True,
        recipient_role=Role.SECTOR_OFFICIAL,
        recipient_sector__in=by.sectors.all(),
        member=F("session__member"),
    )
    return (
        Member.objects.filter(
            pk__in=consents.values("member"),
            erased_at__isnull=True,
            user__isnull=False,
            user__is_active=True,
        )
        .exclude(case_invitations__case=case)
        .order_by("pk")
    )


def linkable_cases(signal: Signal, *, user: User) -> CollectiveCaseQuerySet:
    """Open cases the user may see, the signal's employer's first."""
    cases = CollectiveCase.objects.visible_to(user).filter(status=CollectiveCaseStatus.OPEN)
    return (
        cases.annotate(
            same_employer=Case(
                When(employer_id=signal.employer_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("same_employer", "-announced_on", "name")
        .select_related("employer", "region")
    )
