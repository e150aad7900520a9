"""Issue 12, item 3: every date an import reads lies in a plausible range, with a Dutch reason."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from members.models import ImportMode, Member
from tests.members.helpers import messages, run_import, write

pytestmark = pytest.mark.django_db


def test_member_since_before_1900_is_rejected_with_a_dutch_reason(tmp_path):
    content = (
        "lidnummer;achternaam;lid sinds\r\n"
        "1000001;Oud;0001-01-01\r\n"
        "1000002;Normannen;14-10-1066\r\n"
        "1000003;Grens;31-12-1899\r\n"
        "1000004;Goed;1-1-1900\r\n"
    )
    result = run_import(write(tmp_path, content), mode=ImportMode.VALID_ROWS)
    reasons = messages(result)
    assert (
        "2|lid sinds|‘0001-01-01’ ligt vóór 1-1-1900; een datum in deze kolom ligt tussen "
        "1-1-1900 en vandaag." in reasons
    )
    assert any(
        reason.startswith("3|lid sinds|‘14-10-1066’ ligt vóór 1-1-1900") for reason in reasons
    )
    assert any(reason.startswith("4|lid sinds|‘31-12-1899’") for reason in reasons)
    assert result.rejected == 3
    assert list(Member.objects.values_list("member_number", "member_since")) == [
        ("1000004", dt.date(1900, 1, 1))
    ]


def test_birth_dates_lie_between_1900_and_today(tmp_path):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    content = (
        "lidnummer;achternaam;geboortedatum\r\n"
        "1000001;A;0001-01-01\r\n"
        f"1000002;B;{tomorrow.isoformat()}\r\n"
        "1000003;C;1900-01-01\r\n"
    )
    result = run_import(write(tmp_path, content), mode=ImportMode.VALID_ROWS)
    reasons = messages(result)
    assert (
        "2|geboortedatum|‘0001-01-01’ is geen mogelijke geboortedatum: die ligt tussen 1-1-1900 "
        "en vandaag." in reasons
    )
    assert f"3|geboortedatum|‘{tomorrow.isoformat()}’ ligt in de toekomst." in reasons
    assert list(Member.objects.values_list("member_number", flat=True)) == ["1000003"]


def test_an_xlsx_text_cell_with_a_far_date_is_rejected_too(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Lidnummer", "Achternaam", "Lid sinds"])
    sheet.append(["1000001", "A", "0001-01-01"])
    sheet.append(["1000002", "B", dt.datetime(1999, 5, 1)])
    path = tmp_path / "leden.xlsx"
    workbook.save(path)
    result = run_import(str(path), mode=ImportMode.VALID_ROWS)
    assert result.rejected == 1
    assert list(Member.objects.values_list("member_number", "member_since")) == [
        ("1000002", dt.date(1999, 5, 1))
    ]
