"""Demo data: users for every role (with TOTP for staff), union houses, sectors, employers and a
few thousand synthetic members (Faker nl_NL). Everything made here is marked `is_demo`.

Idempotent: running it again adds nothing that is already there.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from core.registry import run_demo_seeders
from core.roles import Role
from members.models import Employer, Member, MemberStatus, Sector, User
from regions.models import Municipality, PostcodeArea, Region, UnionHouse

DEMO_PASSWORD = "FNV-demo-2026!"
DEMO_DOMAIN = "demo.fnv-regio.nl"

DEMO_SECTORS = [
    "Bouw en Infra",
    "Metaal en Techniek",
    "Handel",
    "Schoonmaak",
    "Zorg en Welzijn",
    "Vervoer",
    "Havens",
    "Horeca",
    "Food",
    "Overheid",
    "Onderwijs",
    "Procesindustrie",
    "Financiële Dienstverlening",
    "Agrarisch en Groen",
    "Media en Cultuur",
]
UNION_HOUSE_CITIES = [
    "Amsterdam",
    "Rotterdam",
    "'s-Gravenhage",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zwolle",
    "Leeuwarden",
    "Maastricht",
    "'s-Hertogenbosch",
    "Leiden",
    "Dordrecht",
    "Zoetermeer",
    "Emmen",
    "Venlo",
    "Heerlen",
    "Alkmaar",
    "Middelburg",
    "Lelystad",
]
# Fictitious employers (no real company is named in a demo that shows complaints about them).
EMPLOYER_NAMES = [
    ("Supermarkten De Korenaar B.V.", ["De Korenaar", "Korenaar"], "Handel"),
    ("Buurtsuper Van der Sluis B.V.", ["Van der Sluis"], "Handel"),
    ("PakketSnel Logistiek B.V.", ["PakketSnel"], "Vervoer"),
    ("Staalwerken Noordzeekanaal B.V.", ["Staalwerken NZK"], "Metaal en Techniek"),
    ("Glans Schoonmaakdiensten B.V.", ["Glans"], "Schoonmaak"),
    ("Zorggroep Noord B.V.", ["Zorggroep Noord"], "Zorg en Welzijn"),
    ("Bakkerij Het Gouden Korstje B.V.", ["Gouden Korstje"], "Food"),
    ("Bouwbedrijf Van Dijk & Zonen B.V.", ["Van Dijk Bouw"], "Bouw en Infra"),
    ("Polder Catering Services B.V.", ["Polder Catering"], "Horeca"),
    ("Overslagbedrijf Waalhaven B.V.", ["Waalhaven Overslag"], "Havens"),
]
# The other demo employers: a Dutch surname and a trade, e.g. "Willems Techniek B.V.".
EMPLOYER_TRADES = [
    "Techniek", "Logistiek", "Installatietechniek", "Transport", "Bouw", "Catering",
    "Metaalbewerking", "Schoonmaak", "Thuiszorg", "Verpakkingen", "Drukkerij", "Bakkerij",
]  # fmt: skip


@dataclass
class DemoLogin:
    email: str
    role: str
    totp_secret: str | None


def demo_totp_secret(email: str) -> str:
    """A fixed secret per demo account, so printed secrets stay valid across restarts."""
    digest = hashlib.sha256(f"fnv-regio-demo-totp:{email}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def _staff_user(email: str, name: str, role: str, **flags) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, role=role, is_demo=True, **flags
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if (
        role != Role.MEMBER
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, demo_totp_secret(email))
    return user


@transaction.atomic
def seed_demo(member_count: int = 3000, seed: int = 2026) -> list[DemoLogin]:
    # Imported here: Faker is for demo data only (issue 17 moves it out of production's
    # dependencies) and takes a while to import; nothing else in this module needs it.
    from faker import Faker

    fake = Faker("nl_NL")
    Faker.seed(seed)
    rng = random.Random(seed)

    sectors = {
        name: Sector.objects.get_or_create(name=name, defaults={"is_demo": True})[0]
        for name in DEMO_SECTORS
    }
    houses = []
    for city in UNION_HOUSE_CITIES:
        municipality = Municipality.objects.filter(name__istartswith=city).order_by("name").first()
        if municipality is None:
            continue
        postcode = PostcodeArea.objects.filter(municipality=municipality).order_by("pc4").first()
        house, _ = UnionHouse.objects.get_or_create(
            name=f"Vakbondshuis {municipality.name}",
            defaults={
                "street": fake.street_name(),
                "house_number": str(rng.randint(1, 200)),
                "postcode": f"{postcode.pc4} AB" if postcode else "",
                "city": municipality.name,
                "municipality": municipality,
                "is_demo": True,
            },
        )
        houses.append(house)
    for name, aliases, sector in EMPLOYER_NAMES:
        Employer.objects.get_or_create(
            name=name, defaults={"aliases": aliases, "sector": sectors[sector], "is_demo": True}
        )
    if Employer.objects.filter(is_demo=True).count() < 200:
        taken = set(Employer.objects.values_list("name", flat=True))
        names: list[str] = []
        while len(names) < 200:
            name = f"{fake.last_name()} {rng.choice(EMPLOYER_TRADES)} B.V."
            if name not in taken:
                taken.add(name)
                names.append(name)
        Employer.objects.bulk_create(
            [
                Employer(name=name, sector=rng.choice(list(sectors.values())), is_demo=True)
                for name in names
            ]
        )

    utrecht = Region.objects.get(code="AM13")
    amsterdam_house = next(h for h in houses if h.city == "Amsterdam")
    utrecht_house = next(h for h in houses if h.city == "Utrecht")
    logins: list[DemoLogin] = []

    def add(email_local: str, name: str, role: str, **flags) -> User:
        email = f"{email_local}@{DEMO_DOMAIN}"
        user = _staff_user(email, name, role, **flags)
        logins.append(
            DemoLogin(email, role, demo_totp_secret(email) if role != Role.MEMBER else None)
        )
        return user

    member_user = add("lid", "Sanne de Vries", Role.MEMBER)
    for index, house in enumerate([amsterdam_house, utrecht_house]):
        for number in (1, 2, 3):
            consultant = add(f"consulent{index * 3 + number}", fake.name(), Role.CONSULTANT)
            consultant.union_houses.add(house)
            if number == 1:
                consultant.serves_online = True
                consultant.save(update_fields=["serves_online"])
    add("adviseur", "Ahmed Bakker", Role.ADVISER).regions.add(utrecht)
    add("regiobestuurder", "Marieke Jansen", Role.REGIONAL_OFFICIAL).regions.add(utrecht)
    add("coordinator", "Peter Visser", Role.COORDINATOR).regions.add(utrecht)
    add("sectorbestuurder", "Fatima El Amrani", Role.SECTOR_OFFICIAL).sectors.add(
        sectors["Handel"], sectors["Food"]
    )
    add("juridisch", "Noor de Graaf", Role.LEGAL)  # the legal department (referrals)
    add("beheer", "Beheerder Demo", Role.ADMIN, is_staff=True, is_superuser=True)

    if not Member.objects.filter(user=member_user).exists():
        Member.objects.create(
            member_number="1000001",
            first_name="Sanne",
            name_prefix="de",
            last_name="Vries",
            email=member_user.email,
            postcode="3511 AB",
            city="Utrecht",
            region=utrecht,
            municipality=utrecht_house.municipality,
            sector=sectors["Handel"],
            user=member_user,
            birth_date=fake.date_of_birth(minimum_age=25, maximum_age=60),
            is_demo=True,
            member_since=fake.date_between("-20y", "-1y"),
        )

    existing = Member.objects.filter(is_demo=True).count()
    if existing < member_count:
        areas = list(PostcodeArea.objects.select_related("municipality").order_by("pc4"))
        employers = list(Employer.objects.filter(is_demo=True))
        new = []
        for i in range(existing, member_count):
            area = rng.choice(areas)
            status = rng.choices(list(MemberStatus.values), weights=[90, 2, 8])[0]
            new.append(
                Member(
                    member_number=str(2000000 + i),
                    initials=fake.random_uppercase_letter() + ".",
                    first_name=fake.first_name(),
                    name_prefix=rng.choice(["", "", "", "de", "van", "van der", "van den"]),
                    last_name=fake.last_name().split(" ")[-1],
                    email=f"lid{2000000 + i}@example.nl",
                    phone=fake.phone_number(),
                    street=fake.street_name(),
                    house_number=str(rng.randint(1, 300)),
                    postcode=f"{area.pc4} {fake.random_uppercase_letter()}{fake.random_uppercase_letter()}".replace(
                        " SA", " SB"
                    )
                    .replace(" SD", " SE")
                    .replace(" SS", " ST"),
                    city=area.municipality.name,
                    municipality=area.municipality,
                    region_id=area.municipality.region_id,
                    birth_date=fake.date_of_birth(minimum_age=18, maximum_age=67),
                    sector=rng.choice(list(sectors.values())),
                    employer=rng.choice(employers) if rng.random() < 0.7 else None,
                    status=status,
                    member_since=fake.date_between("-30y", "-1m"),
                    is_demo=True,
                )
            )
        Member.objects.bulk_create(new, batch_size=1000)
    run_demo_seeders(rng=rng, fake=fake)
    return logins
