"""A large CSV file is checked by two processes: the result is exactly that of one.

The size threshold is lowered so that a file of a few dozen rows is split. These tests commit
(the second process must see the import and its staging table), hence transaction=True.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from members.importing import apply_import, parallel, validating
from members.importing.reading import split_csv
from members.importing.staging import staging_table
from members.models import Employer, ImportMode, ImportStatus, Member
from tests.factories import SectorFactory
from tests.members.helpers import messages, run_import, write

HEADER = "lidnummer;achternaam;straat;postcode;geboortedatum;sector;werkgever\r\n"


def rows() -> str:
    lines = []
    for index in range(60):
        number = 3000000 + index
        street = f"Straat {index}"
        if 26 <= index <= 34:  # quoted fields with delimiters and line breaks around the middle
            street = f'"Lange; straat\r\n{index} achter ""B"""'
        postcode = "3511 AB" if index != 8 else "0000 AA"
        birth = "1-2-1980" if index != 48 else "31-2-1980"
        if index == 53:
            number = 3000005  # the same number as an earlier row, in the other half
        employer = "Nieuwe Werkgever BV" if index in (3, 57) else ""
        extra = ";x" if index == 44 else ""
        lines.append(f"{number};Naam {index};{street};{postcode};{birth};Handel;{employer}{extra}")
    return HEADER + "\r\n".join(lines) + "\r\n"


def staged(member_import) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {staging_table(member_import)} ORDER BY line")
        return cursor.fetchall()


def check(path: str, *, parallel: bool):
    with override_settings(FNV={**settings.FNV, "IMPORT_PARALLEL_BYTES": 1 if parallel else 0}):
        return run_import(path, mode=ImportMode.VALID_ROWS, apply=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_two_processes_check_exactly_what_one_checks(tmp_path, monkeypatch, encoding):
    SectorFactory(name="Handel")
    path = write(tmp_path, rows().replace("Naam 1;", "Naam Zoë;"), encoding=encoding)
    assert split_csv(path, os.path.getsize(path)) is not None
    calls = []
    real = validating.check_in_two_processes
    monkeypatch.setattr(
        validating, "check_in_two_processes", lambda *a: calls.append(1) or real(*a)
    )
    one = check(path, parallel=False)
    assert not calls
    two = check(path, parallel=True)
    assert calls  # the second really went through two processes
    assert one.status == two.status == ImportStatus.PREVIEWED
    fields = ("rows_total", "rows_valid", "rejected", "to_create", "employers_created")
    assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]
    assert (one.rows_total, one.rejected) == (60, 5)
    assert sorted(messages(one)) == sorted(messages(two))
    lines = sorted({int(m.split("|")[0]) for m in messages(two)})
    # rows 8, 48, 5 and 53 (same number), 44; line = row + 2, plus 9 embedded line breaks after row 26
    assert lines == [7, 10, 55, 59, 64]
    assert staged(one) == staged(two)
    applied = apply_import(two)
    assert applied.status == ImportStatus.DONE and applied.created == 55
    assert Employer.objects.filter(name="Nieuwe Werkgever BV").count() == 1
    assert Member.objects.get(member_number="3000030").street == 'Lange; straat\r\n30 achter "B"'


@pytest.mark.django_db(transaction=True)
def test_a_stray_quote_that_fools_the_split_falls_back_to_one_process(tmp_path):
    SectorFactory(name="Handel")
    # An unquoted field with a quote in it (Excel would not write it) before a quoted field
    # with a line break: counting quotes puts the boundary inside that field.
    body = [f"{3100000 + i};Naam {i};Straat;;;Handel;" for i in range(40)]
    body[19] = '3100019;O"Brien;"twee\r\nregels";;;Handel;'
    content = HEADER + "\r\n".join(body) + "\r\n"
    path = write(tmp_path, content)
    _, second = split_csv(path, len(content))
    assert content.index('"twee') < second.start <= content.index("regels")  # fooled
    one = check(path, parallel=False)
    two = check(path, parallel=True)
    assert (one.rows_total, one.rejected) == (two.rows_total, two.rejected)
    assert sorted(messages(one)) == sorted(messages(two))
    assert staged(one) == staged(two)


@pytest.mark.django_db(transaction=True)
def test_a_refusal_in_the_second_half_refuses_the_file(tmp_path):
    body = [f"{3200000 + i};Naam {i};Straat;;;;" for i in range(40)]
    body[35] = '3200035;Naam;"' + "x" * 140_000 + '";;;;'
    path = write(tmp_path, HEADER + "\r\n".join(body) + "\r\n")
    result = check(path, parallel=True)
    assert result.status == ImportStatus.REFUSED
    assert "Regel 37 kan niet worden gelezen" in result.message


def test_the_split_is_at_a_record_boundary_and_counts_lines_as_the_reader_does(tmp_path):
    content = 'a;b\r\n1;"x\r\ny"\r\n2;z\r\n3;"p\nq"\n4;w\n'
    path = write(tmp_path, content)
    first, second = split_csv(path, len(content))
    data = content.encode()
    assert data[first.start - 2 : first.start] == b"\r\n" and first.first_line == 2
    assert data[second.start - 1 : second.start] == b"\n"
    assert data[second.start :].startswith((b"2;", b"3;", b"4;"))
    before = data[: second.start]
    assert (
        second.first_line == before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    )
    assert split_csv(write(tmp_path, "a;b\r1;2\r", name="mac.csv"), 8) is None


@pytest.mark.django_db(transaction=True)
def test_without_a_second_process_the_file_is_checked_whole(tmp_path, monkeypatch):
    def no_process(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(parallel.subprocess, "Popen", no_process)
    SectorFactory(name="Handel")
    path = write(tmp_path, rows())
    one = check(path, parallel=False)
    two = check(path, parallel=True)
    assert two.status == ImportStatus.PREVIEWED
    assert (one.rows_total, one.rejected) == (two.rows_total, two.rejected) == (60, 5)
    assert staged(one) == staged(two)
