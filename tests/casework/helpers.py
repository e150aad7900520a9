"""Builders for casework tests: sessions logged through the signals service, detection run for
real, so a signal has the sessions and consents a consultant would have recorded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casework import services
from signals import services as signal_services
from signals.detection import employer_key, run_detection
from signals.models import Place, SessionKind, Signal
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from tests.signals.helpers import theme


def session(cast, *, employer, member, share=False, contact=False, days_ago=0):
    return signal_services.session_log(
        consultant=cast.consultant,
        details=signal_services.SessionDetails(
            at=timezone.now() - dt.timedelta(days=days_ago),
            place=Place.UNION_HOUSE,
            union_house=cast.union_house,
            kind=SessionKind.WORK_INCOME,
            member=member,
            employer=employer,
            sector=None,
            themes=[theme()],
            summary=f"Samenvatting van {member.last_name if member else 'iemand'}",
            consent_to_share=share,
            consent_to_contact=contact,
        ),
    )


def member(cast, last_name: str):
    user = UserFactory(email=f"{last_name.lower()}@example.nl")
    return MemberFactory(user=user, last_name=last_name, sector=cast.sector, region=cast.region)


def signal_with_members(cast, *, consenting=("Jansen", "Bakker"), silent=("Visser",)):
    """An employer-cluster signal at one employer in the cast's sector: members who consented
    to be contacted, and members who did not."""
    employer = EmployerFactory(sector=cast.sector, name="Distributiecentrum Oost B.V.")
    yes = [member(cast, name) for name in consenting]
    no = [member(cast, name) for name in silent]
    for index, person in enumerate(yes):
        session(cast, employer=employer, member=person, contact=True, days_ago=index)
    for index, person in enumerate(no):
        session(cast, employer=employer, member=person, days_ago=index)
    run_detection(full=True)
    signal = Signal.objects.get(key=employer_key(employer.pk))
    return signal, yes, no


def open_case(cast, signal, name="Onderbetaling Distributiecentrum Oost"):
    return services.case_open_from_signal(
        signal=signal, by=cast.sector_official, name=name, kind="other", description=""
    )
