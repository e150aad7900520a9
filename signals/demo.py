"""Demo data of this app, called by `manage.py seed_demo` after users and members exist.

Sessions over the last six months for the demo consultants (consulent1..6), with two clear
clusters for the demo sector official (sectors Handel and Food): Supermarkten De Korenaar B.V. and
Bakkerij Het Gouden Korstje B.V. Detection runs once at the end. Idempotent: when demo sessions
exist, nothing is added.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import Employer, Member, User
from signals.detection import run_detection
from signals.models import ConsultationSession, Place, SessionKind, Theme
from signals.services import SessionDetails, session_log

DEMO_DOMAIN = "demo.fnv-regio.nl"
CLUSTERS = [
    # employer, themes, sessions, within days, share of members consenting
    ("Supermarkten De Korenaar B.V.", ["Werktijden", "Naleving cao"], 6, 20),
    ("Bakkerij Het Gouden Korstje B.V.", ["Faillissement", "Loon niet betaald"], 5, 25),
]
SUMMARIES = [
    "Rooster wordt steeds op het laatste moment gewijzigd.",
    "Loon van vorige maand nog niet ontvangen.",
    "Vraagt zich af of de cao wordt nageleefd bij overwerk.",
    "Ontslag aangezegd zonder dossier.",
    "Re-integratie loopt vast, bedrijfsarts niet bereikbaar.",
    "Tijdelijk contract niet verlengd na ziekmelding.",
]


def _at(rng, days_back: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_back)
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])), tz)


@transaction.atomic
def seed(*, rng, fake) -> None:
    if ConsultationSession.objects.filter(is_demo=True).exists():
        return
    consultants = list(
        User.objects.filter(email__regex=rf"^consulent[1-6]@{DEMO_DOMAIN}$").order_by("email")
    )
    if not consultants:
        return
    themes = {t.name: t for t in Theme.objects.filter(is_active=True)}
    if not themes:
        return  # the themes come with a migration; a flushed test database may have none
    employers = list(Employer.objects.confirmed().filter(is_demo=True))
    members = list(Member.objects.filter(is_demo=True).order_by("pk")[:400])

    def log(consultant, *, days_back, employer, chosen, consent=False):
        house = consultant.union_houses.first()
        online = house is None or rng.random() < 0.2
        member = rng.choice(members) if members and rng.random() < 0.85 else None
        session_log(
            consultant=consultant,
            details=SessionDetails(
                at=_at(rng, days_back),
                place=Place.ONLINE if online else Place.UNION_HOUSE,
                union_house=None if online else house,
                kind=SessionKind.WORK_INCOME,
                member=member,
                employer=employer,
                sector=None,
                themes=chosen,
                summary=rng.choice(SUMMARIES),
                consent_to_share=consent and member is not None,
                follow_up_needed=rng.random() < 0.3,
            ),
            is_demo=True,
        )

    # Background: spread thinly over half a year, so only the clusters stand out.
    theme_list = list(themes.values())
    for i in range(120):
        log(
            rng.choice(consultants),
            days_back=rng.randint(0, 180),
            employer=rng.choice(employers) if employers and i % 3 == 0 else None,
            chosen=rng.sample(theme_list, k=min(len(theme_list), rng.choice([1, 1, 2]))),
        )
    for name, theme_names, count, within in CLUSTERS:
        employer = Employer.objects.filter(name=name).first()
        if employer is None:
            continue
        for i in range(count):
            log(
                consultants[i % len(consultants)],
                days_back=rng.randint(0, within),
                employer=employer,
                chosen=[themes[t] for t in theme_names if t in themes][: 1 + i % 2]
                or theme_list[:1],
                consent=i % 2 == 0,
            )
    run_detection(full=True)
