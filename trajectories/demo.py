"""Demo data of this app, called by `manage.py seed_demo` after users and members exist.

The demo adviser (adviseur@demo.fnv-regio.nl, Midden-Utrecht) gets a queue and trajectories,
among them the collective case "Faillissement Bakkerij Het Gouden Korstje" with several participants
(in the vision document the bakery is in Tilburg; the demo puts the case in Midden-Utrecht so
the demo adviser and coordinator see it). The demo member (lid@demo.fnv-regio.nl) has an
active trajectory with a plan. Workshops run online and at the demo union houses.

Idempotent: a second run finds the collective case and adds nothing. Rows are marked demo.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from members.models import Employer, Member, Sector, User
from regions.models import Region, UnionHouse
from trajectories import enrolling, services
from trajectories.models import (
    CollectiveCase,
    CollectiveCaseKind,
    IntakeRequest,
    IntakeSource,
    Workshop,
    WorkshopSession,
)

CASE_NAME = "Faillissement Bakkerij Het Gouden Korstje"
WORKSHOPS = [
    ("Solliciteren in 2026", "Cv, brief en gesprek: wat werkgevers nu vragen.", "union_house"),
    ("Je netwerk en LinkedIn", "Zichtbaar worden voor werkgevers en oud-collega's.", "online"),
    (
        "Omscholen naar de zorg",
        "Wat vraagt werken in zorg en welzijn, en welke opleidingen betaalt het O&O-fonds?",
        "union_house",
    ),
    (
        "Geldzaken bij baanverlies",
        "WW, transitievergoeding en je rechten bij een faillissement.",
        "online",
    ),
]


def seed(*, rng, fake) -> None:
    adviser = User.objects.filter(email="adviseur@demo.fnv-regio.nl", role=Role.ADVISER).first()
    if adviser is None or CollectiveCase.objects.filter(name=CASE_NAME).exists():
        return
    region = Region.objects.get(code="AM13")
    adviser.regions.add(region)
    today = timezone.localdate()

    with transaction.atomic():
        # --- workshops at the demo union houses and online ---------------------------------
        houses = list(UnionHouse.objects.filter(is_demo=True, region=region)) or list(
            UnionHouse.objects.filter(is_demo=True)[:2]
        )
        sessions = []
        for index, (title, description, mode) in enumerate(WORKSHOPS):
            workshop, _ = Workshop.objects.get_or_create(
                title=title, defaults={"description": description, "mode": mode, "is_demo": True}
            )
            for week in (1, 3):
                starts = timezone.make_aware(
                    datetime.datetime.combine(
                        today + datetime.timedelta(weeks=week, days=index), datetime.time(10, 0)
                    )
                )
                house = (
                    houses[(index + week) % len(houses)]
                    if mode == "union_house" and houses
                    else None
                )
                sessions.append(
                    WorkshopSession.objects.create(
                        workshop=workshop,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=2, minutes=30),
                        union_house=house,
                        place="" if house else "Online (link volgt per mail)",
                        capacity=rng.choice([6, 8, 12]),
                        is_demo=True,
                    )
                )

        # --- the collective case --------------------------------------------------------------
        bakery = Employer.objects.filter(name="Bakkerij Het Gouden Korstje B.V.").first() or (
            Employer.objects.create(name="Bakkerij Het Gouden Korstje B.V.", is_demo=True)
        )
        case = services.collective_case_create(
            by=adviser,
            name=CASE_NAME,
            kind=CollectiveCaseKind.BANKRUPTCY,
            employer=bakery,
            region=region,
            announced_on=today - datetime.timedelta(weeks=20),
            description="Na het faillissement van de bakkerij begeleidt de FNV de medewerkers van werk naar werk.",
            is_demo=True,
        )
        pool = list(
            Member.objects.filter(is_demo=True, region=region, user__isnull=True, status="active")
            .exclude(trajectories__isnull=False)
            .order_by("pk")[:40]
        )
        rng.shuffle(pool)
        sectors = {
            s.name: s for s in Sector.objects.filter(name__in=["Food", "Zorg en Welzijn", "Handel"])
        }
        source_ids = iter(range(900_000, 901_000))

        def new_trajectory(
            member, *, weeks_ago: int, kind="job_to_job", reason="bankruptcy", case=case
        ):
            request = IntakeRequest.objects.create(
                region=region,
                member=member,
                source=IntakeSource.DIRECT,
                collective_case=case,
                created_by=adviser,
                is_demo=True,
            )
            return services.intake_take(
                adviser=adviser,
                intake_request=request,
                kind=kind,
                reason=reason,
                employer=bakery if case else member.employer,
                collective_case=case,
                started_on=today - datetime.timedelta(weeks=weeks_ago),
                agreed_end_on=today + datetime.timedelta(weeks=26 - weeks_ago),
                is_demo=True,
            )

        def agree(trajectory, goals):
            for description, weeks in goals:
                services.goal_add(
                    by=adviser,
                    plan=trajectory.plan,
                    description=description,
                    due_on=today + datetime.timedelta(weeks=weeks),
                )
            services.plan_agree(by=adviser, plan=trajectory.plan)

        outcomes = [
            ("new_job", "Food", "permanent", True),
            ("new_job", "Food", "temporary", True),
            ("new_job", "Zorg en Welzijn", "permanent", True),
            ("new_job", "Zorg en Welzijn", "permanent", True),
            ("new_job", "Zorg en Welzijn", "temporary", False),
            ("training", None, "", None),
        ]
        # A small demo (few members in the region) gets fewer finished trajectories.
        for member, (kind, sector, contract, cao) in zip(pool, outcomes, strict=False):
            t = new_trajectory(member, weeks_ago=rng.randint(12, 20))
            agree(t, [("Cv bijwerken", 2), ("Drie sollicitaties per week", 8)])
            services.trajectory_end(
                by=adviser,
                trajectory=t,
                kind=kind,
                sector=sectors.get(sector) if sector else None,
                contract_kind=contract,
                under_cao=cao,
            )
        for member in pool[6:9]:
            t = new_trajectory(member, weeks_ago=rng.randint(3, 8))
            agree(t, [("Oriënteren op werk in de zorg", 4), ("Proefdag regelen", 8)])
        for member in pool[9:11]:
            new_trajectory(member, weeks_ago=0)

        # --- the demo member's own trajectory -------------------------------------------------
        demo_member = Member.objects.filter(user__email="lid@demo.fnv-regio.nl").first()
        if demo_member is not None and not demo_member.trajectories.exists():
            t = new_trajectory(
                demo_member, weeks_ago=5, kind="career", reason="threatened", case=None
            )
            agree(
                t,
                [
                    ("Loopbaantest afronden en bespreken", 1),
                    ("Cv en LinkedIn-profiel bijwerken", 3),
                    ("Twee netwerkgesprekken voeren in de zorg", 8),
                ],
            )
            services.summary_share(
                by=adviser,
                trajectory=t,
                text="Je weet wat je wilt: de overstap naar de zorg. Eerst je cv, dan de netwerkgesprekken.",
            )
            services.note_add(
                by=adviser, trajectory=t, text="Gemotiveerd; twijfelt nog over de reistijd."
            )
            enrolling.enrol(by=adviser, trajectory=t, session=sessions[0])

        # --- a non-member in the mobility team, and the intake queue --------------------------
        participant = services.participant_create(
            by=adviser,
            region=region,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email="deelnemer.rmt@example.nl",
            external_reference="RMT-MU-2026-0142",
            consent_at=timezone.now() - datetime.timedelta(weeks=2),
            consent_source="mobility_team",
            is_demo=True,
        )
        request = services.intake_request_create_direct(
            by=adviser, region=region, participant=participant, is_demo=True
        )
        t = services.intake_take(
            adviser=adviser,
            intake_request=request,
            kind="job_to_job",
            reason="dismissed",
            started_on=today - datetime.timedelta(weeks=2),
            is_demo=True,
        )
        for member in pool[11:13]:
            IntakeRequest.objects.create(
                region=region,
                member=member,
                source=IntakeSource.APPOINTMENT,
                source_id=next(source_ids),
                note="Doorverwezen na een loopbaangesprek.",
                is_demo=True,
            )
        for member in pool[13:14]:
            services.intake_request_create_direct(
                by=adviser, region=region, member=member, note="Belde zelf.", is_demo=True
            )
