"""The fixed cast of every test: one user per role in region Midden-Utrecht (AM13) and sector
"Handel", and outsiders in another region and sector.

`login(client, user)` logs a user in as the portal would after password and (for staff) TOTP.
"""

from __future__ import annotations

import time
from importlib import import_module

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.apps import apps as django_apps

from core.roles import Role
from regions.models import Municipality, PostcodeArea, Region
from regions.reference import load_reference_data
from signals.models import Theme
from tests.factories import MemberFactory, SectorFactory, UnionHouseFactory, UserFactory, region


def login(client, user) -> None:
    """Log in with the session records of a password login plus, for staff, the TOTP step."""
    client.force_login(user, backend="members.backends.ModelBackend")
    session = client.session
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if user.is_staff_role:
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def session_queries() -> int:
    """Queries a request spends reading its session: none from Redis (cached_db, production
    and CI), one from the database when the tests run without REDIS_URL."""
    from django.conf import settings

    return int(settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")


def ensure_reference_data() -> None:
    """Transactional tests flush the database, data migrations included: load it again (the
    regions' reference data, and the signals' themes and detection rules)."""
    if not Region.objects.exists():
        load_reference_data(Region, Municipality, PostcodeArea)
    if not Theme.objects.exists():
        seed_themes_and_rules = import_module("signals.migrations.0002_seed_themes_and_rules").seed
        seed_themes_and_rules(django_apps, None)
    # The public information pages (pages' data migration adds only the missing ones).
    import_module("pages.migrations.0002_initial_pages").seed(django_apps, None)


@pytest.fixture(autouse=True)
def _page_cache_where_asked(request):
    """The page cache is off in tests (fnvregio/testenv.py). The page cache's own tests and the
    tests marked `page_cache` run with it, as production does. Only those use the `settings`
    fixture: wrapping Django's settings for every test would change what Celery reads of them."""
    if request.node.get_closest_marker("page_cache") is None:
        yield
        return
    from fnvregio import pagecache

    settings = request.getfixturevalue("settings")
    settings.PAGE_CACHE = True
    # A test that asks for a page twice must not see the minute of the key change between the
    # two (it did, once in a full run: the second request rendered). The minute itself is
    # tested in test_pagecache.py, which moves it on purpose.
    minute = pagecache._minute()
    request.getfixturevalue("monkeypatch").setattr(pagecache, "_minute", lambda: minute)
    # A test's own transaction never commits, so its writes renew nothing: start each such test
    # with a new generation, or it might be served an earlier test's anonymous page.
    pagecache.bump()
    yield


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request, django_db_blocker):
    """Transactional tests end by flushing every table, the migrations' reference data
    included. Load it again afterwards, so later tests and a --reuse-db run find the regions.

    Autouse fixtures are set up first and torn down last: this runs after the flush.
    """
    yield
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        with django_db_blocker.unblock():
            ensure_reference_data()


class Cast:
    """Users of every role, in scope (Midden-Utrecht, Handel) and out of scope (Groot Amsterdam, Bouw)."""

    def __init__(self):
        self.region = region("AM13")
        self.other_region = region("AM18")
        self.sector = SectorFactory(name="Handel")
        self.other_sector = SectorFactory(name="Bouw en Infra")
        self.union_house = UnionHouseFactory(name="Vakbondshuis Utrecht")
        self.other_union_house = UnionHouseFactory(
            name="Vakbondshuis Amsterdam",
            city="Amsterdam",
            municipality=self.other_region.municipalities.get(code="GM0363"),
        )
        self.member_user = UserFactory(email="lid@example.nl", role=Role.MEMBER)
        self.member = MemberFactory(user=self.member_user, sector=self.sector, region=self.region)
        self.other_member_user = UserFactory(email="anderlid@example.nl", role=Role.MEMBER)
        self.other_member = MemberFactory(
            user=self.other_member_user,
            sector=self.other_sector,
            region=self.other_region,
            postcode="1011 AB",
        )
        self.consultant = UserFactory(
            email="consulent@example.nl", role=Role.CONSULTANT, serves_online=True
        )
        self.consultant.union_houses.add(self.union_house)
        self.other_consultant = UserFactory(email="anderconsulent@example.nl", role=Role.CONSULTANT)
        self.other_consultant.union_houses.add(self.other_union_house)
        self.adviser = UserFactory(email="adviseur@example.nl", role=Role.ADVISER)
        self.adviser.regions.add(self.region)
        self.other_adviser = UserFactory(email="anderadviseur@example.nl", role=Role.ADVISER)
        self.other_adviser.regions.add(self.other_region)
        self.regional_official = UserFactory(
            email="regiobestuurder@example.nl", role=Role.REGIONAL_OFFICIAL
        )
        self.regional_official.regions.add(self.region)
        self.coordinator = UserFactory(email="coordinator@example.nl", role=Role.COORDINATOR)
        self.coordinator.regions.add(self.region)
        self.other_coordinator = UserFactory(
            email="andercoordinator@example.nl", role=Role.COORDINATOR
        )
        self.other_coordinator.regions.add(self.other_region)
        self.sector_official = UserFactory(
            email="sectorbestuurder@example.nl", role=Role.SECTOR_OFFICIAL
        )
        self.sector_official.sectors.add(self.sector)
        self.other_sector_official = UserFactory(
            email="andersector@example.nl", role=Role.SECTOR_OFFICIAL
        )
        self.other_sector_official.sectors.add(self.other_sector)
        self.legal = UserFactory(email="juridisch@example.nl", role=Role.LEGAL)
        self.admin = UserFactory(
            email="beheer@example.nl", role=Role.ADMIN, is_staff=True, is_superuser=True
        )

    def by_role(self) -> dict[str, object]:
        """One user per role (the in-scope one), plus None for an anonymous visitor."""
        return {
            "anonymous": None,
            Role.MEMBER: self.member_user,
            Role.CONSULTANT: self.consultant,
            Role.ADVISER: self.adviser,
            Role.REGIONAL_OFFICIAL: self.regional_official,
            Role.COORDINATOR: self.coordinator,
            Role.SECTOR_OFFICIAL: self.sector_official,
            Role.LEGAL: self.legal,
            Role.ADMIN: self.admin,
        }


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


@pytest.fixture
def login_as(client):
    def _login(user):
        login(client, user)
        return client

    return _login
