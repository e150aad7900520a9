"""Union houses with their hours, and the sectors list, from a file (command and admin)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audit.models import AuditEntry
from members.models import Sector
from regions.models import ConsultationHours, UnionHouse
from tests.conftest import login
from tests.members.helpers import SAMPLES, write

pytestmark = pytest.mark.django_db


def run(command: str, path: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, path, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(command: str, path: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, path, stdout=io.StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


def _week(house: UnionHouse, kind: str | None = None) -> list[tuple[int, str, str]]:
    if kind is None:
        return [
            (h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in house.opening_hours.all()
        ]
    return [
        (h.weekday, f"{h.starts:%H:%M}", f"{h.ends:%H:%M}")
        for h in house.consultation_hours.filter(kind=kind)
    ]


# --- Union houses ---------------------------------------------------------------------------


def test_the_houses_sample_adds_houses_with_hours_and_the_region_of_their_municipality(cast):
    out = run("import_houses", str(SAMPLES / "houses-example.csv"))
    # the cast has Utrecht and Amsterdam already (without hours): changed; Amersfoort is new
    assert "Klaar: 1 nieuw, 2 gewijzigd, 0 ongewijzigd." in out
    amersfoort = UnionHouse.objects.get(name="Vakbondshuis Amersfoort")
    assert amersfoort.region.code == "AM14" and amersfoort.municipality.code == "GM0307"
    assert (amersfoort.postcode, amersfoort.house_number, amersfoort.slug) == (
        "3811 AA",
        "7a",
        "vakbondshuis-amersfoort",
    )
    assert "invalidenparkeerplaats vóór de deur" in amersfoort.accessibility  # cp1252
    assert _week(amersfoort) == [(1, "10:00", "16:00"), (3, "10:00", "16:00")]
    utrecht = UnionHouse.objects.get(name="Vakbondshuis Utrecht")
    assert [day for day, _s, _e in _week(utrecht)] == [0, 1, 2, 3, 4]  # ma-vr
    assert _week(utrecht, "career") == [(2, "09:00", "12:00"), (2, "13:00", "16:00")]
    assert _week(utrecht, "work_income") == [(1, "13:00", "16:00"), (3, "09:00", "12:00")]
    assert utrecht.consultants.filter(email="consulent@example.nl").exists()  # kept
    assert AuditEntry.objects.filter(object_id=str(amersfoort.pk), action="create").exists()


def test_reimporting_the_houses_changes_nothing(cast):
    run("import_houses", str(SAMPLES / "houses-example.csv"))
    ids = set(ConsultationHours.objects.values_list("pk", flat=True))
    entries = AuditEntry.objects.count()
    out = run("import_houses", str(SAMPLES / "houses-example.csv"))
    assert "Klaar: 0 nieuw, 0 gewijzigd, 3 ongewijzigd." in out
    assert set(ConsultationHours.objects.values_list("pk", flat=True)) == ids
    assert AuditEntry.objects.count() == entries


def test_a_changed_hours_cell_replaces_only_that_kind(tmp_path, cast):
    run("import_houses", str(SAMPLES / "houses-example.csv"))
    path = write(
        tmp_path,
        "naam;plaats;gemeente;loopbaanspreekuren\r\nVakbondshuis Utrecht;Utrecht;GM0344;vr 09:00-12:00\r\n",
        name="huizen.csv",
    )
    out = run("import_houses", path)
    assert "gewijzigd: Vakbondshuis Utrecht (loopbaanspreekuren)" in out
    utrecht = UnionHouse.objects.get(name="Vakbondshuis Utrecht")
    assert _week(utrecht, "career") == [(4, "09:00", "12:00")]
    assert len(_week(utrecht, "work_income")) == 2 and len(_week(utrecht)) == 5  # untouched
    assert utrecht.phone == "030-0000001"  # column absent: kept


def test_bad_house_rows_are_named_and_nothing_is_imported(tmp_path, cast):
    path = write(
        tmp_path,
        "naam;plaats;gemeente;postcode;openingstijden;e-mailadres\r\n"
        "Huis Een;Utrecht;Atlantis;3511 AB;ma 09:00-17:00;\r\n"
        "Huis Twee;Utrecht;Utrecht;35111;ma 09:00-17:00;\r\n"
        "Huis Drie;Utrecht;Utrecht;;maandag 17:00-09:00;\r\n"
        "Huis Vier;Utrecht;Utrecht;;xx 09:00-10:00;geen-mail\r\n"
        "Huis Vijf;;Utrecht;;;\r\n"
        "Huis Zes;Utrecht;Utrecht;;;\r\n"
        "huis zes;Utrecht;Utrecht;;;\r\n",
        name="huizen.csv",
    )
    message, err = refused("import_houses", path)
    assert "Niets geïmporteerd" in message
    assert "Regel 2, kolom ‘gemeente’: onbekende gemeente ‘Atlantis’" in err
    assert "Regel 3, kolom ‘postcode’: ‘35111’ is geen postcode" in err
    assert "Regel 4, kolom ‘openingstijden’:" in err and "niet na het begin" in err
    assert "Regel 5, kolom ‘openingstijden’: Onbekende dag" in err
    assert "Regel 5, kolom ‘e-mailadres’: ‘geen-mail’ is geen geldig e-mailadres." in err
    assert "Regel 6, kolom ‘plaats’: vul de plaats van het vakbondshuis in." in err
    assert "Regel 7, kolom ‘naam’: dit vakbondshuis staat ook op regel 8" in err
    assert not UnionHouse.objects.filter(name__startswith="Huis ").exists()


def test_houses_import_in_the_admin_with_preview(client, cast):
    login(client, cast.admin)
    response = client.post(
        reverse("admin:regions_unionhouse_import"),
        {
            "import_file": SimpleUploadedFile(
                "huizen.csv", (SAMPLES / "houses-example.csv").read_bytes()
            ),
            "format": "0",
            "resource": "0",
        },
    )
    html = response.content.decode()
    assert "Vakbondshuizen: 1 nieuw, 2 gewijzigd, 0 ongewijzigd" in html
    assert not UnionHouse.objects.filter(name="Vakbondshuis Amersfoort").exists()
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', html))
    data = {
        key: fields[key]
        for key in ("import_file_name", "original_file_name", "format", "resource")
        if key in fields
    }
    data["csrfmiddlewaretoken"] = fields.get("csrfmiddlewaretoken", "")
    client.post(reverse("admin:regions_unionhouse_process_import"), data)
    amersfoort = UnionHouse.objects.get(name="Vakbondshuis Amersfoort")
    assert len(_week(amersfoort, "career")) == 1
    # the houses' own admin is still there, with its inlines
    page = client.get(reverse("admin:regions_unionhouse_change", args=[amersfoort.pk]))
    assert page.status_code == 200


def test_house_hours_are_usable_by_the_public_pages(cast):
    """What the file says is what the hours module reads back."""
    from regions.hours import format_week, opening_table

    run("import_houses", str(SAMPLES / "houses-example.csv"))
    amsterdam = UnionHouse.objects.get(name="Vakbondshuis Amsterdam")
    rows = [(h.weekday, h.opens, h.closes) for h in amsterdam.opening_hours.all()]
    assert (
        format_week(rows)
        == "ma 09:00-17:00; di 09:00-17:00; wo 09:00-17:00; do 09:00-17:00; vr 09:00-12:30"
    )
    assert opening_table(amsterdam)[4].periods[0][1] == dt.time(12, 30)


# --- Sectors ---------------------------------------------------------------------------------


def test_the_sectors_sample_adds_the_missing_sectors_once(cast):
    out = run("import_sectors", str(SAMPLES / "sectors-example.csv"))
    assert "Klaar: 5 nieuw, 0 gewijzigd, 2 ongewijzigd." in out  # Handel, Bouw en Infra exist
    assert Sector.objects.filter(name="Zorg en Welzijn").exists()
    out = run("import_sectors", str(SAMPLES / "sectors-example.csv"))
    assert "Klaar: 0 nieuw, 0 gewijzigd, 7 ongewijzigd." in out
    assert Sector.objects.count() == 7


def test_a_sector_spelled_differently_follows_the_file_and_doubles_are_refused(tmp_path, cast):
    path = write(tmp_path, "sector\r\nHANDEL\r\n", name="sectoren.csv")
    out = run("import_sectors", path)
    assert "andere schrijfwijze" in out and "niet in het bestand (blijven bestaan)  1" in out
    cast.sector.refresh_from_db()
    assert cast.sector.name == "HANDEL"
    assert Sector.objects.filter(name="Bouw en Infra").exists()  # missing from the file: kept
    path = write(tmp_path, "sector\r\nZorg\r\nzorg \r\n\r\n", name="sectoren.csv")
    _message, err = refused("import_sectors", path)
    assert "Regel 2, kolom ‘sector’: deze sector staat ook op regel 3" in err
    assert not Sector.objects.filter(name__iexact="zorg").exists()


def test_sectors_import_in_the_admin_previews_first(client, cast):
    login(client, cast.admin)
    response = client.post(
        reverse("admin:members_sector_import"),
        {
            "import_file": SimpleUploadedFile(
                "s.csv", (SAMPLES / "sectors-example.csv").read_bytes()
            ),
            "format": "0",
            "resource": "0",
        },
    )
    assert "Sectoren: 5 nieuw, 0 gewijzigd, 2 ongewijzigd" in response.content.decode()
    assert not Sector.objects.filter(name="Onderwijs").exists()
