"""A consent names its recipients: the sector official of one sector. Every role is tried on
every kind of signal: the identity behind a session reaches exactly the officials the member
agreed to, and everyone else who may see the signal sees counts only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from signals.detection import active_rules
from signals.models import Consent, RuleKind, Signal, SignalSession
from tests.conftest import login
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from tests.signals.helpers import log_session

pytestmark = pytest.mark.django_db


def _signal(*, kind: str, key: str, **fields) -> Signal:
    rules = {r.kind: r for r in active_rules()}
    today = timezone.localdate()
    return Signal.objects.create(
        rule=rules[kind],
        key=key,
        window_start=today - dt.timedelta(days=29),
        window_end=today,
        count=3,
        **fields,
    )


@pytest.fixture
def world(cast):
    """Three consenting members whose consents name different sectors, and the four kinds of
    signal a session can lie behind, each holding all three sessions."""
    handel_employer = EmployerFactory(sector=cast.sector)
    bouw_employer = EmployerFactory(sector=cast.other_sector)
    at_handel = MemberFactory(last_name="Handelaarsma", member_number="8800001", sector=cast.sector)
    no_sector = MemberFactory(last_name="Zondersector", member_number="8800002", sector=cast.sector)
    at_bouw = MemberFactory(last_name="Bouwerstra", member_number="8800003", sector=cast.sector)
    sessions = {
        # The employer's sector is the session's: Handel.
        at_handel: log_session(cast, employer=handel_employer, member=at_handel, consent=True),
        # No employer: the member's own sector, Handel.
        no_sector: log_session(cast, member=no_sector, consent=True),
        # A Handel member about an employer in Bouw: the session's sector, Bouw.
        at_bouw: log_session(cast, employer=bouw_employer, member=at_bouw, consent=True),
    }
    signals = {
        "employer_handel": _signal(
            kind=RuleKind.EMPLOYER_CLUSTER,
            key=f"employer:{handel_employer.pk}",
            employer=handel_employer,
            sector=cast.sector,
        ),
        "employer_bouw": _signal(
            kind=RuleKind.EMPLOYER_CLUSTER,
            key=f"employer:{bouw_employer.pk}",
            employer=bouw_employer,
            sector=cast.other_sector,
        ),
        # A theme rising in a region has no sector: it goes to the region's coordinators.
        "theme_region": _signal(
            kind=RuleKind.THEME_RISE, key=f"theme:1:region:{cast.region.pk}", region=cast.region
        ),
        "theme_sector": _signal(
            kind=RuleKind.THEME_RISE, key=f"theme:1:sector:{cast.sector.pk}", sector=cast.sector
        ),
    }
    for signal in signals.values():
        for session in sessions.values():
            SignalSession.objects.create(signal=signal, session=session)
    return sessions, signals


def test_each_consent_names_the_sector_of_its_session_or_else_of_the_member(cast, world):
    sessions, _signals = world
    sectors = {
        member.last_name: Consent.objects.get(session=session).recipient_sector
        for member, session in sessions.items()
    }
    assert sectors == {
        "Handelaarsma": cast.sector,
        "Zondersector": cast.sector,
        "Bouwerstra": cast.other_sector,
    }
    assert all(
        Consent.objects.get(session=s).recipient_role == Role.SECTOR_OFFICIAL
        for s in sessions.values()
    )


def test_every_role_on_every_kind_of_signal_sees_only_what_the_consent_allows(cast, client, world):
    sessions, signals = world
    viewers = {
        **{role: user for role, user in cast.by_role().items() if user is not None},
        "other_sector_official": cast.other_sector_official,
        "other_coordinator": cast.other_coordinator,
        "sector_official_of_both": UserFactory(role=Role.SECTOR_OFFICIAL),
    }
    viewers["sector_official_of_both"].sectors.add(cast.sector, cast.other_sector)
    pages_seen = names_seen = 0
    for viewer_name, viewer in viewers.items():
        login(client, viewer)
        allowed_sectors = (
            set(viewer.sectors.values_list("pk", flat=True))
            if viewer.role == Role.SECTOR_OFFICIAL
            else set()
        )
        for signal_name, signal in signals.items():
            response = client.get(reverse("signals:signal", args=[signal.pk]))
            assert response.status_code in (200, 404), (viewer_name, signal_name)
            if response.status_code == 404:
                continue
            pages_seen += 1
            page = response.content.decode()
            for member, session in sessions.items():
                consent = Consent.objects.get(session=session)
                may_see = consent.recipient_sector_id in allowed_sectors
                shown = member.last_name in page or member.member_number in page
                assert shown == may_see, (viewer_name, signal_name, member.last_name)
                names_seen += shown
        client.logout()
    # The regional coordinator does see the regional signal (the reported leak), without names.
    assert pages_seen >= 8 and names_seen >= 4


def test_the_coordinator_of_a_regional_signal_sees_counts_and_why_not_names(cast, client, world):
    _sessions, signals = world
    login(client, cast.coordinator)
    page = client.get(reverse("signals:signal", args=[signals["theme_region"].pk])).content.decode()
    assert "Handelaarsma" not in page and "8800001" not in page
    assert "alleen aantallen" in page


def test_the_member_sees_who_each_consent_names(cast, client):
    employer = EmployerFactory(sector=cast.other_sector)
    log_session(cast, employer=employer, member=cast.member, consent=True)
    login(client, cast.member_user)
    page = client.get(reverse("signals:my_consents")).content.decode()
    assert f"de sectorbestuurder van de sector {cast.other_sector.name}" in page


def test_a_consent_ends_when_the_session_is_corrected_to_another_member(cast):
    from signals import services

    session = log_session(cast, member=cast.member, consent=True)
    other = MemberFactory(sector=cast.sector)
    services.session_update(
        session=session,
        by=cast.consultant,
        details=services.SessionDetails(
            at=session.at,
            place=session.place,
            union_house=session.union_house,
            kind=session.kind,
            member=other,
            employer=None,
            sector=None,
            themes=list(session.themes.all()),
            summary=session.summary,
            consent_to_share=True,
        ),
    )
    consents = Consent.objects.filter(session=session)
    assert consents.get(member=cast.member).withdrawn_at is not None
    assert consents.get(member=other).withdrawn_at is None
