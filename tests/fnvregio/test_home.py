"""The role home pages: "Jouw werkgebied" lists exactly the user's own scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from tests.conftest import login
from tests.factories import SectorFactory, UnionHouseFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def _scope(client, user) -> str:
    login(client, user)
    html = client.get(reverse("home")).content.decode()
    start = html.index('id="scope-title"')
    return html[start : html.index("</section>", start)]


def test_the_scope_lists_own_regions_sectors_and_houses_in_name_order(client):
    user = UserFactory(role=Role.SECTOR_OFFICIAL)
    user.regions.add(region("AM13"), region("AM01"))
    user.sectors.add(SectorFactory(name="Zorg"), SectorFactory(name="Bouw"))
    user.union_houses.add(UnionHouseFactory(name="Huis Utrecht"))
    SectorFactory(name="Metaal")  # someone else's
    UnionHouseFactory(name="Huis Elders")

    scope = _scope(client, user)
    groningen, amsterdam = region("AM01"), region("AM13")
    names = sorted([groningen, amsterdam], key=lambda r: r.name)
    assert scope.index(names[0].name) < scope.index(names[1].name)
    assert f'href="{amsterdam.get_absolute_url()}"' in scope
    assert "Bouw, Zorg" in scope
    assert "Huis Utrecht" in scope
    assert "Metaal" not in scope and "Huis Elders" not in scope


def test_a_user_without_scope_sees_no_empty_lines(client):
    scope = _scope(client, UserFactory(role=Role.ADVISER))
    assert "<dt>" not in scope
