"""Demo referrals: a few of every kind and status in Midden-Utrecht, made by the demo
consultants, so the legal department's inbox, a consultant's "Mijn doorverwijzingen" and the
admin's counts have something to show. The legal user itself comes with the members' demo."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from members.demo import DEMO_DOMAIN, _staff_user
from members.models import Member, User
from referrals import services
from referrals.models import Kind, Referral
from referrals.services import Source

TOPICS = [
    "Ontslag op staande voet",
    "Loon te laat betaald",
    "Re-integratie na burn-out",
    "Conflict met leidinggevende",
    "Scholing en loopbaan",
]
OUTCOMES = [
    "Zaak aangenomen; bezwaar ingediend bij de werkgever.",
    "Lid geadviseerd; geen juridische stappen nodig.",
    "Aangemeld voor de workshop sollicitatietraining.",
]


@transaction.atomic
def seed(*, rng, fake) -> None:
    if Referral.objects.filter(is_demo=True).exists():
        return
    consultants = list(
        User.objects.filter(email__regex=rf"^consulent[1-6]@{DEMO_DOMAIN}$").order_by("email")
    )
    members = list(Member.objects.filter(is_demo=True, region__code="AM13").order_by("pk")[:40])
    if not consultants or not members:
        return
    legal = _staff_user(f"juridisch@{DEMO_DOMAIN}", "Noor de Graaf", Role.LEGAL)
    now = timezone.now()
    kinds = [Kind.LEGAL] * 5 + [Kind.REINTEGRATION, Kind.SECTOR_OFFICIAL, Kind.WORKSHOP] * 2
    for index, kind in enumerate(kinds):
        member = members[index % len(members)]
        made_at = now - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        [referral] = services.refer(
            by=rng.choice(consultants),
            source=Source(
                app="signals",
                id=10_000_000 + index,  # no real session: demo referrals stand alone
                member=member,
                region=member.region,
                sector=member.sector,
                employer=member.employer,
                topic=rng.choice(TOPICS),
                summary="Demo: het lid vertelde kort wat er speelt.",
            ),
            kinds=[kind],
            consent=rng.random() < 0.6,
            now=made_at,
        )
        Referral.objects.filter(pk=referral.pk).update(is_demo=True)
        step = index % 4
        receiver = legal if kind == Kind.LEGAL else None
        if step == 0 or receiver is None:
            continue  # left new (some of them overdue)
        services.accept(referral=referral, by=receiver, now=made_at + dt.timedelta(days=1))
        if step == 2:
            services.complete(
                referral=referral,
                by=receiver,
                outcome=rng.choice(OUTCOMES),
                now=made_at + dt.timedelta(days=3),
            )
        elif step == 3:
            services.decline(
                referral=referral,
                by=receiver,
                reason="Geen juridische vraag; verwezen naar de sectorbestuurder.",
                now=made_at + dt.timedelta(days=2),
            )
