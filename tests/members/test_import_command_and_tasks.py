"""The import_members command and the import tasks (safe to run twice, cancellable)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members import services
from members.importing import staging
from members.models import ImportStatus, Member, MemberImport
from members.tasks import apply_member_import, validate_member_import
from tests.members.helpers import SAMPLES, write

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_report_and_applies(capsys):
    call_command("import_members", str(SAMPLES / "leden.xlsx"))
    out = capsys.readouterr().out
    assert "Status: klaar" in out and "Nieuw: 3" in out
    assert Member.objects.filter(member_number="1400001").exists()
    assert (SAMPLES / "leden.xlsx").exists()  # the command leaves the file in place


def test_the_command_exits_non_zero_when_nothing_is_applied(capsys):
    with pytest.raises(CommandError):
        call_command("import_members", str(SAMPLES / "leden-met-fouten.csv"))
    assert "regel 2 · geboortedatum" in capsys.readouterr().out
    assert not Member.objects.exists()


def test_a_dry_run_changes_nothing(capsys):
    call_command("import_members", str(SAMPLES / "leden.xlsx"), "--dry-run")
    assert "Zou nieuw zijn: 3" in capsys.readouterr().out
    assert not Member.objects.exists()


def test_a_dry_run_ends_cancelled_with_its_time_and_leaves_the_file(capsys):
    call_command("import_members", str(SAMPLES / "leden.xlsx"), "--dry-run")
    member_import = MemberImport.objects.get()
    assert member_import.status == ImportStatus.CANCELLED
    assert member_import.message == "Proefdraai: niets verwerkt."
    assert member_import.finished_at is not None and member_import.file_path == ""
    assert (SAMPLES / "leden.xlsx").exists()


def test_an_unexpected_error_on_the_command_line_fails_the_import_as_in_the_worker(monkeypatch):
    def broken(member_import):
        raise RuntimeError("kapot")

    monkeypatch.setattr(services, "apply_import", broken)
    with pytest.raises(RuntimeError):
        call_command("import_members", str(SAMPLES / "leden.xlsx"))
    member_import = MemberImport.objects.get()
    assert member_import.status == ImportStatus.FAILED and member_import.finished_at
    assert (SAMPLES / "leden.xlsx").exists()  # a command's file is never removed


def test_valid_rows_mode_on_the_command_line(capsys):
    call_command("import_members", str(SAMPLES / "leden-met-fouten.csv"), "--mode", "valid-rows")
    assert list(Member.objects.values_list("member_number", flat=True)) == ["1300009"]


def _uploaded(tmp_path, content: str) -> MemberImport:
    return MemberImport.objects.create(
        file_name="leden.csv", file_path=write(tmp_path, content), source="portal"
    )


def test_the_tasks_are_safe_to_run_twice(tmp_path):
    member_import = _uploaded(tmp_path, "lidnummer;achternaam\r\n1000001;A\r\n")
    assert validate_member_import(member_import.pk) == ImportStatus.PREVIEWED
    assert validate_member_import(member_import.pk) == "skipped"
    MemberImport.objects.filter(pk=member_import.pk).update(status=ImportStatus.QUEUED)
    assert apply_member_import(member_import.pk) == ImportStatus.DONE
    assert apply_member_import(member_import.pk) == "skipped"
    member_import.refresh_from_db()
    assert member_import.created == 1 and Member.objects.count() == 1
    assert not (tmp_path / "leden.csv").exists()  # the upload is gone once applied


def test_a_cancel_during_the_check_stops_it_and_removes_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "PROGRESS_EVERY", 2)
    rows = "".join(f"{1000000 + i};Naam\r\n" for i in range(10))
    member_import = _uploaded(tmp_path, "lidnummer;achternaam\r\n" + rows)
    MemberImport.objects.filter(pk=member_import.pk).update(cancel_requested=True)
    assert validate_member_import(member_import.pk) == ImportStatus.CANCELLED
    assert not (tmp_path / "leden.csv").exists()
    with pytest.raises(Exception):  # noqa: B017 (the staging table is gone)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {staging.staging_table(member_import)}")


def test_progress_is_recorded_while_checking(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "PROGRESS_EVERY", 3)
    rows = "".join(f"{1000000 + i};Naam\r\n" for i in range(10))
    member_import = _uploaded(tmp_path, "lidnummer;achternaam\r\n" + rows)
    validate_member_import(member_import.pk)
    member_import.refresh_from_db()
    assert member_import.rows_total == 10 and member_import.progress_percent == 100
