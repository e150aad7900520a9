"""Issue 12, item 5: an XLSX file is bounded by what it holds unpacked, before it is parsed.

The bombs are built in the test (tests/members/xlsx_bombs.py): a small zip whose one string
unpacks to many megabytes, a central directory that lies about a part's size, a sheet with
too many rows. Each is refused on every path (the portal's background check, the command
line, the admin) with a Dutch message that says what to do, and nothing is written.
"""

from __future__ import annotations

import tracemalloc

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from members.importing.format import ImportRefused
from members.importing.reading import inspect_file
from members.importing.staging import staging_table
from members.importing.xlsx import XLSX_LYING
from members.models import ImportStatus, Member, MemberImport, MemberImportError
from members.tasks import validate_member_import
from tests.conftest import login
from tests.members.test_admin_import import preview, uploads
from tests.members.xlsx_bombs import (
    inline_string_bomb,
    lie_about_size,
    many_rows_sheet,
    many_shared_strings,
    shared_string_bomb,
)

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024
UNPACKED = "Het bestand is uitgepakt groter dan"
ADVICE = "sla het op als CSV of splits het."


@pytest.fixture
def no_parsing(monkeypatch):
    """openpyxl must not be reached: the bounds are checked before parsing."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a file that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def portal_check(path) -> MemberImport:
    """The portal's background path: the Celery task on an uploaded file."""
    member_import = MemberImport.objects.create(
        file_name="bom.xlsx", file_path=str(path), source="portal"
    )
    validate_member_import(member_import.pk)
    member_import.refresh_from_db()
    return member_import


def assert_nothing_written(member_import: MemberImport, path) -> None:
    assert member_import.status == ImportStatus.REFUSED
    assert not Member.objects.exists()
    assert not MemberImportError.objects.filter(member_import=member_import).exists()
    assert not path.exists()  # the upload is gone
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [staging_table(member_import)])
        assert cursor.fetchone()[0] is None


def test_a_200_mib_shared_string_in_a_200_kb_file_is_refused_before_parsing(tmp_path, no_parsing):
    path = tmp_path / "bom.xlsx"
    shared_string_bomb(path, 200 * MIB)
    assert path.stat().st_size < 300 * 1024
    result = portal_check(path)
    assert result.message.startswith("De teksten in het Excel-bestand zijn uitgepakt samen groter")
    assert result.message.endswith(ADVICE)
    assert_nothing_written(result, path)


def test_a_1_gib_bomb_is_refused_by_its_unpacked_size(tmp_path, no_parsing):
    path = tmp_path / "bom.xlsx"
    shared_string_bomb(path, 1024 * MIB)
    result = portal_check(path)
    assert result.message == f"{UNPACKED} 512 MB; {ADVICE}"
    assert_nothing_written(result, path)


def test_a_part_that_unpacks_far_beyond_its_packed_size_is_refused(tmp_path, no_parsing):
    path = tmp_path / "bom.xlsx"
    shared_string_bomb(path, 20 * MIB)  # under every size bound, but 1000 times its packed size
    result = portal_check(path)
    assert "meer dan 100 keer zo groot als ingepakt" in result.message
    assert_nothing_written(result, path)


def test_one_long_text_is_refused_even_in_a_small_part(tmp_path, no_parsing):
    path = tmp_path / "bom.xlsx"
    inline_string_bomb(path, 600 * 1024)  # the sheet stays under 1 MiB: no ratio bound
    result = portal_check(path)
    assert "een tekst of waarde van meer dan 256 kB" in result.message
    assert_nothing_written(result, path)


def test_a_central_directory_that_lies_is_not_believed(tmp_path, no_parsing):
    path = tmp_path / "bom.xlsx"
    many_rows_sheet(path, 20_000)
    lie_about_size(path, "xl/worksheets/sheet1.xml", 1024)
    result = portal_check(path)
    assert result.message == XLSX_LYING
    assert_nothing_written(result, path)


def test_a_lying_bomb_is_read_only_up_to_the_bound_and_memory_stays_small(
    tmp_path, settings, no_parsing
):
    settings.FNV = {**settings.FNV, "IMPORT_XLSX_MAX_UNPACKED": 4 * MIB}
    path = tmp_path / "bom.xlsx"
    many_rows_sheet(path, 400_000)  # about 20 MB of sheet, which claims to be 1 KB
    lie_about_size(path, "xl/worksheets/sheet1.xml", 1024)
    tracemalloc.start()
    try:
        result = portal_check(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.message == f"{UNPACKED} 4,0 MB; {ADVICE}"
    assert peak < 16 * MIB, peak
    assert_nothing_written(result, path)


def test_a_dtd_is_refused(tmp_path, no_parsing):
    path = tmp_path / "bom.xlsx"
    many_rows_sheet(path, 3)
    import zipfile

    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;</t></si></sst>',
        )
    result = portal_check(path)
    assert "DTD" in result.message
    assert_nothing_written(result, path)


def test_an_archive_of_very_many_parts_is_refused_before_its_directory_is_read(
    tmp_path, no_parsing
):
    import zipfile

    path = tmp_path / "bom.xlsx"
    many_rows_sheet(path, 3)
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(1001):
            archive.writestr(f"xl/media/leeg{number}.bin", b"")
    result = portal_check(path)
    assert result.message.startswith("Het Excel-bestand bestaat uit ongewoon veel onderdelen.")
    assert_nothing_written(result, path)


def test_too_many_rows_are_refused_before_parsing(tmp_path, settings, no_parsing):
    settings.FNV = {**settings.FNV, "IMPORT_XLSX_MAX_ROWS": 1000}
    path = tmp_path / "bom.xlsx"
    many_rows_sheet(path, 1500)
    result = portal_check(path)
    assert result.message == f"Het Excel-bestand heeft meer dan 1.000 rijen; {ADVICE}"
    assert_nothing_written(result, path)


@pytest.mark.django_db(transaction=True)  # refused during a COPY, which ends the transaction
def test_a_row_number_far_beyond_the_bound_is_refused_while_reading(tmp_path, settings):
    """Two rows, the second numbered 100,000: openpyxl yields every empty row in between
    (before, a row numbered 2,000,000,000 kept a worker busy for hours)."""
    settings.FNV = {**settings.FNV, "IMPORT_XLSX_MAX_ROWS": 1000}
    path = tmp_path / "gat.xlsx"
    many_rows_sheet(path, 1)
    import io
    import zipfile

    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        parts = {info.filename: original.read(info.filename) for info in original.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<row r="2"><c r="A2">', b'<row r="100000"><c r="A100000">'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    result = portal_check(path)
    assert result.message == f"Het Excel-bestand heeft meer dan 1.000 rijen; {ADVICE}"
    assert_nothing_written(result, path)


def test_a_sheet_within_the_bounds_is_read_as_before(tmp_path):
    path = tmp_path / "leden.xlsx"
    many_rows_sheet(path, 5)  # only member numbers: each row misses its last name
    result = portal_check(path)
    assert (result.status, result.rows_total, result.rejected) == (ImportStatus.PREVIEWED, 5, 5)


def test_many_short_shared_strings_within_the_bound_are_read(tmp_path):
    path = tmp_path / "leden.xlsx"
    many_shared_strings(path, 3 * MIB)  # not a bomb: it packs about 3 times
    result = portal_check(path)
    assert (result.status, result.rows_total, result.to_create) == (ImportStatus.PREVIEWED, 1, 1)


def test_the_command_refuses_a_bomb_and_writes_nothing(tmp_path, capsys, no_parsing):
    path = tmp_path / "bom.xlsx"
    shared_string_bomb(path, 200 * MIB)
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    out = capsys.readouterr().out
    assert "Melding: De teksten in het Excel-bestand zijn uitgepakt samen groter" in out
    assert not Member.objects.exists()
    record = MemberImport.objects.get(source="command")
    assert record.status == ImportStatus.REFUSED
    assert path.exists()  # the command leaves its file where it is


@pytest.mark.parametrize("size", [60 * MIB, 20 * MIB])
def test_the_admin_refuses_a_bomb_and_keeps_nothing(
    client, cast, settings, tmp_path, no_parsing, size
):
    """The admin holds every row in memory, so its bounds are tighter (48 MB unpacked, 8 MB
    of shared strings)."""
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "bom.xlsx"
    shared_string_bomb(path, size)
    login(client, cast.admin)
    response = preview(client, "bom.xlsx", path.read_bytes())
    html = response.content.decode()
    assert "uitgepakt" in html and "sla het op als CSV of splits het." in html
    assert "process_import" not in html
    assert uploads(tmp_path) == []
    assert not Member.objects.filter(member_number="1000001").exists()
    assert not MemberImport.objects.exists()


def test_the_admin_bounds_are_tighter_than_the_portal(tmp_path):
    from members.admin_import import ADMIN_XLSX_LIMITS

    path = tmp_path / "leden.xlsx"
    many_rows_sheet(path, 120_000)
    with pytest.raises(ImportRefused, match="meer dan 100.000 rijen"):
        inspect_file(str(path), ADMIN_XLSX_LIMITS)
    inspect_file(str(path))  # the portal takes it
