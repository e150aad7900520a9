"""Demo data: regioplannen for Midden-Utrecht (AM13) and a spread of statuses in other regions.

Called by `manage.py seed_demo` after the demo users, members and the other apps' demo data
exist (so the frozen data panels hold their figures). Idempotent: a region and year that
already has a plan is left alone. Every plan made here is marked `is_demo`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import User
from plans.models import (
    CommentStatus,
    PlanStatus,
    PlanVersion,
    RegionPlan,
    ReviewerNote,
    SectionComment,
)
from plans.services import data_panel
from regions.models import Region

DEMO_DOMAIN = "demo.fnv-regio.nl"

# Text drawn on the FNV vision on the regional labour market (Toekomstvast, 2022).
UTRECHT_2026 = {
    "context": (
        "Midden-Utrecht groeit: meer inwoners, meer banen, maar ook grote verschillen tussen "
        "Utrecht-stad en de kernen eromheen. Vier ontwikkelingen raken het werk van onze leden:\n\n"
        "- **Demografie**: vergrijzing in zorg, onderwijs en openbaar vervoer; jeugdwerkloosheid "
        "in een paar wijken blijft hoog.\n"
        "- **Technologie**: digitalisering en automatisering in logistiek en financiële "
        "dienstverlening.\n"
        "- **Transities**: de energietransitie vraagt installateurs en technici; de bouwopgave "
        "(woningbouw) loopt vast op personeel.\n"
        "- **Arbeidsmarkt**: krapte, flexibilisering en te weinig vaste contracten.\n\n"
        "### Tekortberoepen\n\n"
        "Verpleegkundigen en verzorgenden, leraren in het primair onderwijs, technici "
        "(elektrotechniek, installatietechniek), buschauffeurs en ICT'ers.\n\n"
        "### Krimpberoepen\n\n"
        "Administratief personeel, bankmedewerkers, kassamedewerkers in de detailhandel en "
        "postsorteerders."
    ),
    "themes": (
        "Onze agenda in de regio:\n\n"
        "1. Werk dat vakbondswaardig is: cao-loon, pensioenopbouw en flex alleen waar flex voor "
        "bedoeld is (piek en ziek).\n"
        "2. Preventie: mensen voorbereiden op de transities, vóórdat ontslag dreigt.\n"
        "3. Van werk naar werk bij reorganisaties, samen met de sectoren.\n"
        "4. Leven lang ontwikkelen met zeggenschap van werkenden zelf over scholing."
    ),
    "role_interest": (
        "We maken collectieve afspraken in de arbeidsmarktregio over mobiliteit, duurzame banen "
        "en goed werk. We bouwen toe naar een **werknemersservicepunt** in het vakbondshuis "
        "Utrecht, waar werkenden en werkzoekenden terecht kunnen met vragen over werk, "
        "scholing en inkomen."
    ),
    "role_board": (
        "De FNV zit in het bestuur van het Werkgevers- en Werknemersplatform Midden-Utrecht "
        "(het regionaal werkbedrijf) en in de stuurgroep van het RMT. We zetten ons in voor "
        "een bredere tafel: economie, onderwijs en arbeidsmarkt samen."
    ),
    "role_driver": (
        "We jagen aan: publiek-private samenwerking met goede voorwaarden, VWNW-trajecten en "
        "leerambassadeurs op de werkvloer. Als waakhond letten we erop dat leerwerktrajecten "
        "met behoud van uitkering kort blijven en daarna een BBL-traject met loon worden."
    ),
    "role_service": (
        "Loopbaan FNV houdt spreekuren in het vakbondshuis Utrecht en online. De spreekuren "
        "werk & inkomen draaien drie dagdelen per week. Informatiebijeenkomsten *Wat te doen "
        "bij ontslag* organiseren we samen met de juridische dienstverlening."
    ),
    "transition_into_work": (
        "Met UWV en de gemeenten zetten we in op instapbanen met een vast perspectief. "
        "Speciale aandacht voor jongeren zonder startkwalificatie en 50-plussers in de WW."
    ),
    "transition_school": (
        "Afstemming tussen het mbo (ROC Midden Nederland) en de vraag in zorg en techniek; "
        "stages met stagevergoeding en begeleiding."
    ),
    "transition_work_to_work": (
        "Het leerwerkloket en het RMT zijn de spil. We willen dat O&O-middelen ook "
        "beschikbaar zijn voor werkenden in krimpberoepen die willen overstappen."
    ),
    "transition_out_of_work": (
        "Duurzame inzetbaarheid en toegroeien naar pensioen: afspraken over meester-gezel "
        "constructies in techniek en openbaar vervoer; aandacht voor mantelzorgers."
    ),
    "boards": (
        "| Gremium | Rol FNV |\n| --- | --- |\n"
        "| Regionaal werkbedrijf Midden-Utrecht | bestuurslid |\n"
        "| RMT Midden-Utrecht | stuurgroep en uitvoering (De VAKbeweging) |\n"
        "| Sectortafel zorg en welzijn | deelnemer |\n"
        "| Sectortafel techniek en installatie | deelnemer |"
    ),
    "funds": (
        "- **ESF+**: duurzame inzetbaarheid in de zorg; aanvraag samen met de werkgevers.\n"
        "- **EFRO**: innovatie in de bouwlogistiek, met een sociaal paragraaf over scholing.\n"
        "- **JTF**: in deze regio beperkt; we volgen de inzet in andere regio's.\n"
        "- **O&O-fondsen**: OOM (metaal) en Stichting Opleiding & Ontwikkeling Installatie; "
        "scholingsbudgetten openstellen voor zij-instromers."
    ),
    "sectors": (
        "Kwartaaloverleg met de sectorbestuurders Zorg en Welzijn, Bouw en Infra, Handel en "
        "Vervoer. Signalen uit de spreekuren worden vroeg gedeeld."
    ),
    "campaigns": (
        "Campagne *Zeker werk in de zorg*; kader- en or-cafés over leven lang ontwikkelen "
        "in het vakbondshuis; lokale netwerken in Amersfoort-grens, Nieuwegein en Zeist."
    ),
    "results": (
        "- 3 collectieve afspraken in de regio over van-werk-naar-werk.\n"
        "- 250 leden geholpen via Loopbaan FNV.\n"
        "- FNV-deelname aan 2 sectortafels.\n"
        "- 10 leerambassadeurs opgeleid."
    ),
}

UTRECHT_2027_CHANGES = {
    "context": UTRECHT_2026["context"].replace(
        "postsorteerders.",
        "postsorteerders. Nieuw in 2027: krimp bij callcenters door AI-toepassingen.",
    ),
    "results": (
        "- 4 collectieve afspraken in de regio over van-werk-naar-werk.\n"
        "- 300 leden geholpen via Loopbaan FNV.\n"
        "- FNV-deelname aan 3 sectortafels, waaronder logistiek.\n"
        "- 15 leerambassadeurs opgeleid.\n"
        "- Een werknemersservicepunt open in het vakbondshuis Utrecht."
    ),
}

OTHER_REGIONS = [
    ("AM01", PlanStatus.DRAFT),
    ("AM02", PlanStatus.SUBMITTED),
    ("AM05", PlanStatus.IN_REVIEW),
    ("AM08", PlanStatus.CHANGES_REQUESTED),
    ("AM11", PlanStatus.RESUBMITTED),
    ("AM18", PlanStatus.APPROVED),
    ("AM20", PlanStatus.APPROVED),
    ("AM25", PlanStatus.DRAFT),
    ("AM30", PlanStatus.IN_REVIEW),
]


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def _freeze(plan: RegionPlan, *, number: int, by: User | None, at: dt.datetime) -> PlanVersion:
    panel = data_panel(plan.region, now=at)
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        sections=dict(plan.sections),
        panel=panel.figures,
        panel_taken_at=at,
        panel_since=panel.since,
        panel_until=panel.until,
        submitted_by=by,
        submitted_at=at,
    )


@transaction.atomic
def seed(*, rng, fake) -> None:
    now = timezone.now()
    year = timezone.localdate().year + 1
    official, coordinator = _user("regiobestuurder"), _user("coordinator")
    utrecht = Region.objects.get(code="AM13")

    # Last year's plan of Midden-Utrecht: approved after one round of changes.
    previous = RegionPlan.objects.filter(region=utrecht, year=year - 1).first()
    if previous is None:
        first_text = {**UTRECHT_2026, "results": "- Meer leden helpen via Loopbaan FNV."}
        previous = RegionPlan.objects.create(
            region=utrecht,
            year=year - 1,
            status=PlanStatus.APPROVED,
            status_changed_at=now - dt.timedelta(days=300),
            deadline=dt.date(year - 2, 12, 15),
            sections=first_text,
            reviewer=coordinator,
            created_by=official,
            is_demo=True,
        )
        if official:
            previous.authors.add(official)
        _freeze(previous, number=1, by=official, at=now - dt.timedelta(days=340))
        SectionComment.objects.create(
            plan=previous,
            section="results",
            version=previous.versions.get(number=1),
            author=coordinator,
            text="Maak de resultaten meetbaar: hoeveel afspraken, hoeveel leden?",
            status=CommentStatus.RESOLVED,
            resolved_by=official,
            resolved_at=now - dt.timedelta(days=320),
            created_at=now - dt.timedelta(days=335),
        )
        previous.sections = dict(UTRECHT_2026)
        previous.save(update_fields=["sections"])
        _freeze(previous, number=2, by=official, at=now - dt.timedelta(days=318))

    # This year's plan: started from last year's, submitted and waiting for the coordinator.
    if not RegionPlan.objects.filter(region=utrecht, year=year).exists():
        plan = RegionPlan.objects.create(
            region=utrecht,
            year=year,
            status=PlanStatus.SUBMITTED,
            status_changed_at=now - dt.timedelta(days=2),
            deadline=dt.date(year - 1, 12, 15),
            sections={**UTRECHT_2026, **UTRECHT_2027_CHANGES},
            previous=previous,
            created_by=official,
            is_demo=True,
        )
        if official:
            plan.authors.add(official)
        _freeze(plan, number=1, by=official, at=now - dt.timedelta(days=2))
        if coordinator:
            ReviewerNote.objects.create(
                plan=plan,
                author=coordinator,
                text="Navragen of de sectortafel logistiek al bestaat.",
            )

    # A spread of statuses elsewhere, for the overview of all 35 regions.
    for code, status in OTHER_REGIONS:
        region = Region.objects.filter(code=code).first()
        if region is None or RegionPlan.objects.filter(region=region, year=year).exists():
            continue
        sections = {
            "context": (
                f"Arbeidsmarktregio {region.name}: krapte in zorg, techniek en onderwijs; "
                f"krimp in administratieve functies."
            ),
            "themes": "- Vakbondswaardig werk\n- Van werk naar werk\n- Leven lang ontwikkelen",
            "funds": "ESF+, EFRO en de O&O-fondsen van de techniek en de bouw.",
        }
        changed_days = rng.randint(1, 20)
        plan = RegionPlan.objects.create(
            region=region,
            year=year,
            status=status,
            status_changed_at=now - dt.timedelta(days=changed_days),
            deadline=dt.date(year - 1, 12, 15),
            sections=sections,
            is_demo=True,
        )
        if status != PlanStatus.DRAFT:
            _freeze(plan, number=1, by=None, at=now - dt.timedelta(days=changed_days + 3))
        if status == PlanStatus.RESUBMITTED:
            _freeze(plan, number=2, by=None, at=now - dt.timedelta(days=changed_days))
