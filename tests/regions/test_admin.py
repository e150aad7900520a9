"""Admins edit a union house with its opening hours, consultation hours and closures inline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import HouseClosure, OpeningHours
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _form(house, *, opening=(), consultation=(), closures=()):
    data = {
        "name": house.name,
        "slug": house.slug,
        "is_public": "on",
        "is_active": "on",
        "hosts_career_hours": "on",
        "street": "Domplein",
        "house_number": "9",
        "postcode": "3512 JC",
        "city": "Utrecht",
        "municipality": str(house.municipality_id),
        "phone": "030 123 45 67",
        "email": "domplein@example.nl",
        "directions": "",
        "accessibility": "Lift aanwezig.",
    }
    for prefix, rows in [
        ("opening_hours", opening),
        ("consultation_hours", consultation),
        ("closures", closures),
    ]:
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def _post(client, cast, data):
    login(client, cast.admin)
    url = reverse("admin:regions_unionhouse_change", args=[cast.union_house.pk])
    return client.post(url, data)


def test_an_admin_saves_a_house_with_its_hours_and_a_closure(client, cast):
    data = _form(
        cast.union_house,
        opening=[{"weekday": "0", "opens": "09:00", "closes": "12:30"}],
        consultation=[
            {"kind": "career", "weekday": "3", "starts": "09:00", "ends": "12:00", "note": ""}
        ],
        closures=[{"starts_on": "2026-12-24", "ends_on": "2027-01-01", "reason": "Kerst"}],
    )
    response = _post(client, cast, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    house = cast.union_house
    house.refresh_from_db()
    assert house.phone == "030 123 45 67" and house.accessibility == "Lift aanwezig."
    assert list(house.opening_hours.values_list("weekday", flat=True)) == [0]
    assert house.consultation_hours.get().kind == "career"
    assert house.closures.get().reason == "Kerst"


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            {
                "opening": [
                    {"weekday": "0", "opens": "09:00", "closes": "12:30"},
                    {"weekday": "0", "opens": "12:00", "closes": "17:00"},
                ]
            },
            "overlappen",
        ),
        (
            {"opening": [{"weekday": "0", "opens": "17:00", "closes": "09:00"}]},
            "na de openingstijd",
        ),
        (
            {
                "closures": [
                    {"starts_on": "2026-12-24", "ends_on": "2026-12-26", "reason": "Kerst"},
                    {"starts_on": "2026-12-26", "ends_on": "2026-12-27", "reason": "Extra"},
                ]
            },
            "overlappen",
        ),
        (
            {"closures": [{"starts_on": "0001-01-01", "ends_on": "0001-01-02", "reason": "Oud"}]},
            "Kies een datum",
        ),
    ],
)
def test_bad_hours_are_refused_with_a_dutch_message_and_nothing_is_saved(
    client, cast, rows, message
):
    response = _post(client, cast, _form(cast.union_house, **rows))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OpeningHours.objects.exists() and not HouseClosure.objects.exists()
