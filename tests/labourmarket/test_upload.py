"""Uploading labour-market figures: Dutch numbers in a StatLine layout, every error named by row
and column with nothing saved, a re-upload replacing a period with a version note, XLSX too,
hostile files refused with a message, and the example file marked as an example everywhere."""

from __future__ import annotations

import datetime as dt
import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import registry
from labourmarket.demo import EXAMPLE
from labourmarket.models import LabourMarketFigure, LabourMarketUpload
from labourmarket.parsing import dutch_decimal, parse_period
from tests.conftest import login

pytestmark = pytest.mark.django_db

HEADER = '"ID";"RegioS";"Perioden";"Vacatures_1";"Werkloosheid_2";"WWUitkeringen_3";"Spanningsindicator_4"\n'


def _post(client, user, content: bytes, *, name="cbs.csv", source="CBS StatLine"):
    login(client, user)
    return client.post(
        reverse("labourmarket:upload"),
        {"file": SimpleUploadedFile(name, content), "source": source},
    )


def test_dutch_numbers_are_read_as_a_dutch_person_writes_them():
    assert dutch_decimal("1.234") == 1234
    assert dutch_decimal("5,6") == Decimal("5.6")
    assert dutch_decimal("1.234.567,8") == Decimal("1234567.8")
    assert dutch_decimal(".") is None  # StatLine: no figure
    assert dutch_decimal("5.6", from_xlsx=True) == Decimal("5.6")
    for wrong in ("5.6", "1,2,3", "12a", "1e9", "NaN", "∞"):
        with pytest.raises(ValueError):
            dutch_decimal(wrong)


def test_periods_are_statline_codes_and_never_in_the_future():
    today = dt.date(2026, 12, 1)
    assert parse_period("2026MM09", today=today).key == "2026-09"
    assert parse_period("2026KW03", today=today).end == dt.date(2026, 9, 30)
    assert parse_period("2025JJ00", today=today).key == "2025"
    assert parse_period("2027MM01", today=today) is None
    assert parse_period("1999KW01", today=today) is None
    assert parse_period("2026MM13", today=today) is None


def test_an_admin_uploads_a_statline_export_with_dutch_numbers(client, cast):
    content = (
        HEADER
        + '1;"AM13    ";"2026KW02";"12.345";"4,1";"8.765";"1,25"\n'
        + '2;"AM18    ";"2026KW02";"40.100";"5,3";".";"0,90"\n'
    ).encode("cp1252")
    response = _post(client, cast.admin, content)
    assert response.status_code == 302
    utrecht = LabourMarketFigure.objects.get(region__code="AM13")
    assert utrecht.vacancies == 12345
    assert utrecht.unemployment_rate == Decimal("4.1")
    assert utrecht.benefit_recipients == 8765
    assert utrecht.tension == Decimal("1.25")
    assert utrecht.source == "CBS StatLine" and not utrecht.is_example
    assert LabourMarketFigure.objects.get(region__code="AM18").benefit_recipients is None
    panel = registry.region_panel(
        cast.region, since=dt.date(2026, 1, 1), until=dt.date(2026, 11, 30)
    )
    figures = dict(panel["labourmarket"]["figures"])
    assert figures["Vacatures"] == "12.345"
    assert figures["Werkloosheid"] == "4,1%"
    assert figures["Bron"].startswith("CBS StatLine, geüpload op")


def test_a_file_with_errors_names_row_and_column_and_saves_nothing(client, cast):
    content = (
        HEADER
        + '1;"AM13";"2026KW02";"12.345";"4,1";"8.765";"1,25"\n'
        + '2;"AM99";"2026KW02";"1";"1";"1";"1"\n'
        + '3;"AM18";"2031KW01";"1";"1";"1";"1"\n'
        + '4;"AM18";"2026KW01";"12,3,4";"150";"1,5";"1"\n'
        + '5;"AM13";"2026KW02";"1";"1";"1";"1"\n'
    ).encode()
    response = _post(client, cast.admin, content)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert 'Rij 3, kolom "Regio": "AM99" is geen code van een arbeidsmarktregio' in page
    assert 'Rij 4, kolom "Perioden": "2031KW01" is geen bekende periode' in page
    assert 'Rij 5, kolom "Vacatures": "12,3,4" is geen getal' in page
    assert 'Rij 5, kolom "Werkloosheid": 150 ligt niet tussen 0 en 100' in page
    assert 'Rij 5, kolom "WW-uitkeringen": "1,5" moet een geheel getal zijn' in page
    assert "Rij 6: AM13, 2026, kwartaal 2 staat ook al in rij 2" in page
    assert not LabourMarketFigure.objects.exists()
    assert not LabourMarketUpload.objects.exists()


def test_a_re_upload_of_a_period_replaces_it_with_a_version_note(client, cast):
    first = (HEADER + '1;"AM13";"2026KW02";"12.345";"4,1";"8.765";"1,25"\n').encode()
    second = (HEADER + '1;"AM13";"2026KW02";"12.500";"4,0";"8.700";"1,30"\n').encode()
    assert _post(client, cast.admin, first, name="eerste.csv").status_code == 302
    assert _post(client, cast.admin, second, name="tweede.csv").status_code == 302
    current = LabourMarketFigure.objects.current().get(region__code="AM13", period="2026-K2")
    assert current.vacancies == 12500 and current.version == 2
    assert "vervangt versie 1 uit eerste.csv" in current.version_note
    assert LabourMarketFigure.objects.filter(region__code="AM13", is_current=False).count() == 1
    panel = registry.region_panel(
        cast.region, since=dt.date(2026, 1, 1), until=dt.date(2026, 11, 30)
    )
    assert any("vervangt versie 1" in str(v) for _label, v in panel["labourmarket"]["figures"])


def test_an_xlsx_export_is_read_too(client, cast):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Regio", "Perioden", "Vacatures", "Werkloosheid", "Bron"])
    sheet.append(["AM13", "2026MM08", 11000, 4.2, "UWV"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post(client, cast.admin, buffer.getvalue(), name="uwv.xlsx")
    assert response.status_code == 302
    figure = LabourMarketFigure.objects.get()
    assert (figure.vacancies, figure.unemployment_rate, figure.source) == (
        11000,
        Decimal("4.2"),
        "UWV",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "geen CSV- of Excel-bestand"),
        (b"naam;adres\nJan;Straat 1\n", 'De kolom "Regio" en "Perioden" ontbreekt'),
        (b"Regio;Perioden;Opmerking\nAM13;2026KW01;x\n", "geen kolom met cijfers"),
        (b"PK\x03\x04" + b"rommel" * 50, "beschadigd"),
        (b'Regio;Perioden;Vacatures\nAM13;2026KW01;=HYPERLINK("x")\n', "geen getal"),
        (b"Regio;Perioden;Vacatures\n\x00AM13;2026KW01;1\n", ""),
    ],
)
def test_hostile_files_are_refused_with_a_message_and_save_nothing(client, cast, content, message):
    response = _post(client, cast.admin, content)
    assert response.status_code in (200, 400)
    if message:
        assert message in html.unescape(response.content.decode())
    assert not LabourMarketFigure.objects.exists()


def test_a_missing_source_is_refused_and_a_multi_line_one_becomes_one_line(client, cast):
    content = (HEADER + '1;"AM13";"2026KW02";"1";"1";"1";"1"\n').encode()
    response = _post(client, cast.admin, content, source="   ")
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode() or "Noem de bron" in (
        response.content.decode()
    )
    assert not LabourMarketFigure.objects.exists()
    assert _post(client, cast.admin, content, source="CBS\nStatLine").status_code == 302
    assert LabourMarketFigure.objects.get().source == "CBS StatLine"


def test_only_an_admin_may_upload(client, cast):
    content = (HEADER + '1;"AM13";"2026KW02";"1";"1";"1";"1"\n').encode()
    for user in (cast.coordinator, cast.regional_official, cast.member_user):
        assert _post(client, user, content).status_code == 404
    assert not LabourMarketFigure.objects.exists()


def test_every_row_of_the_example_file_says_it_is_an_example(client, cast):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1
    assert all("VOORBEELD, geen echte cijfers" in line for line in lines[1:])
    assert _post(client, cast.admin, EXAMPLE.read_bytes(), source="VOORBEELD").status_code == 302
    assert LabourMarketFigure.objects.count() == 70
    assert not LabourMarketFigure.objects.filter(is_example=False).exists()
    panel = registry.region_panel(
        cast.region, since=dt.date(2026, 1, 1), until=dt.date(2026, 11, 30)
    )
    assert panel["labourmarket"]["figures"][0] == ["Let op", "VOORBEELD, geen echte cijfers"]
    page = client.get(reverse("labourmarket:upload")).content.decode()
    assert "VOORBEELD, geen echte cijfers" in page
