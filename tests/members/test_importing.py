"""The member import: format, validation, semantics (one set of rules, every path)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from openpyxl import Workbook

from members.importing.checking import erased_hash, parse_date
from members.models import ErasedMember, ImportMode, ImportStatus, Member, MemberStatus
from regions.models import Region
from tests.factories import EmployerFactory, MemberFactory, SectorFactory
from tests.members.helpers import SAMPLES, messages, run_import, write

pytestmark = pytest.mark.django_db

HEADER = "lidnummer;achternaam;voornaam;postcode;geboortedatum;status\r\n"


def refused(member_import) -> str:
    assert member_import.status == ImportStatus.REFUSED, member_import.status
    return member_import.message


# --- the samples ---------------------------------------------------------------------------


def test_it_imports_the_semicolon_cp1252_sample_with_quoted_delimiters_and_line_breaks():
    SectorFactory(name="Handel")
    SectorFactory(name="Bouw en Infra")
    result = run_import(str(SAMPLES / "leden-excel-puntkomma.csv"))
    assert result.status == ImportStatus.DONE
    assert (result.created, result.rejected) == (4, 0)
    assert result.file_format == "CSV (Windows-1252, puntkomma)"
    marielle = Member.objects.get(member_number="1100002")
    assert marielle.first_name == "Mariëlle"
    assert marielle.street == "Lange; Nieuwstraat"
    assert marielle.status == MemberStatus.SUSPENDED
    assert marielle.region.code == "AM18"
    ended = Member.objects.get(member_number="1100003")
    assert "\n" in ended.street and ended.last_name == "Yilmaz-Çelik"
    assert ended.status == MemberStatus.ENDED and ended.ended_on is not None
    jan = Member.objects.get(member_number="1100001")
    assert jan.postcode == "3511 AB" and jan.birth_date == dt.date(1980, 2, 1)
    assert jan.employer.kvk_number == "12345678" and jan.region.code == "AM13"


def test_it_imports_the_comma_utf8_bom_sample():
    result = run_import(str(SAMPLES / "leden-utf8-bom-komma.csv"))
    assert result.status == ImportStatus.DONE and result.created == 3
    assert result.file_format == "CSV (UTF-8 met BOM, komma)"
    assert Member.objects.get(member_number="1200002").last_name == "Visser, de"
    assert Member.objects.get(member_number="1200001").postcode == "3511 AB"


def test_it_imports_the_xlsx_sample_with_real_dates_and_numbers():
    result = run_import(str(SAMPLES / "leden.xlsx"))
    assert result.status == ImportStatus.DONE and result.created == 3
    sophie = Member.objects.get(member_number="1400001")
    assert sophie.birth_date == dt.date(1982, 4, 1)
    assert Member.objects.get(member_number="1400003").municipality.code == "GM0363"


def test_the_sample_with_errors_names_every_rejected_row_and_changes_nothing():
    result = run_import(str(SAMPLES / "leden-met-fouten.csv"))
    assert refused(result)
    assert result.rejected == 8
    assert not Member.objects.exists()
    text = "\n".join(messages(result))
    assert "2|geboortedatum|‘31-02-1980’ is geen bestaande datum." in text
    assert "3|lidnummer|Lidnummer ‘12AB’ heeft niet de goede vorm" in text
    assert "4|achternaam|Dit veld is verplicht." in text
    assert "5|postcode|‘12345’ is geen geldige postcode" in text
    assert "Onbekende status ‘misschien’" in text
    assert "8|lidnummer|Lidnummer 1300007 staat ook op regel 9" in text


# --- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_it_detects_the_delimiter(tmp_path, delimiter):
    content = HEADER.replace(";", delimiter) + delimiter.join(
        ["1000001", "Jansen", "Piet", "3511 AB", "1-2-1980", "actief"]
    )
    result = run_import(write(tmp_path, content))
    assert result.status == ImportStatus.DONE and result.created == 1


def test_it_matches_headers_without_regard_to_case_spaces_and_accents(tmp_path):
    content = " LIDNUMMER ; Achter naam;E-Mail;Lid Sinds;Geboorte-datum\r\n1000001;Jansen;p@example.nl;1-1-2000;02-03-1980\r\n"
    result = run_import(write(tmp_path, content))
    assert result.status == ImportStatus.DONE
    member = Member.objects.get()
    assert member.member_since == dt.date(2000, 1, 1) and member.birth_date == dt.date(1980, 3, 2)


def test_it_reads_utf8_with_and_without_bom_and_cp1252(tmp_path):
    text = "lidnummer;achternaam;voornaam\r\n1000001;Çelik;Zoë\r\n"
    for index, raw in enumerate(
        [text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1252")]
    ):
        Member.objects.all().delete()
        result = run_import(write(tmp_path, raw, name=f"f{index}.csv"))
        assert result.status == ImportStatus.DONE
        assert Member.objects.get().first_name == "Zoë"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1-2-1980", dt.date(1980, 2, 1)),
        ("01-02-1980", dt.date(1980, 2, 1)),
        ("1980-02-01", dt.date(1980, 2, 1)),
    ],
)
def test_it_reads_the_three_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["30-02-1980", "1980-13-01", "1/2/1980", "gisteren"])
def test_it_refuses_impossible_or_unknown_dates(value):
    with pytest.raises(ValueError):
        parse_date(value)


# --- bad files: a clear Dutch message, nothing changed -------------------------------------


def test_an_empty_file_is_refused(tmp_path):
    assert refused(run_import(write(tmp_path, ""))) == "Het bestand is leeg."
    assert (
        refused(run_import(write(tmp_path, "\r\n  \r\n", name="b.csv"))) == "Het bestand is leeg."
    )


def test_a_file_with_only_a_header_is_refused(tmp_path):
    assert "alleen een kopregel" in refused(run_import(write(tmp_path, HEADER)))


def test_missing_required_columns_are_named(tmp_path):
    message = refused(run_import(write(tmp_path, "voornaam;postcode\r\nPiet;3511 AB\r\n")))
    assert "‘lidnummer’" in message and "‘achternaam’" in message


def test_unknown_columns_are_named(tmp_path):
    message = refused(
        run_import(write(tmp_path, "lidnummer;achternaam;schoenmaat\r\n1000001;Jansen;44\r\n"))
    )
    assert "Onbekende kolom: ‘schoenmaat’" in message
    assert not Member.objects.exists()


def test_a_wrong_delimiter_is_named(tmp_path):
    message = refused(run_import(write(tmp_path, "lidnummer|achternaam\r\n1000001|Jansen\r\n")))
    assert "scheidingsteken" in message


def test_undecodable_bytes_name_the_line(tmp_path):
    raw = (
        "lidnummer;achternaam\r\n1000001;Zoë\r\n1000002;Jansen\r\n".encode() + b"1000003;J\x81x\r\n"
    )
    message = refused(run_import(write(tmp_path, raw)))
    assert "Regel 4" in message and "UTF-8" in message


def test_bytes_that_are_neither_utf8_nor_cp1252_name_the_line(tmp_path):
    raw = b"lidnummer;achternaam\r\n1000001;Jansen\r\n1000002;B\x81x\r\n"
    assert "Regel 3" in refused(run_import(write(tmp_path, raw)))


def test_a_binary_file_is_refused(tmp_path):
    raw = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert "binair" in refused(run_import(write(tmp_path, raw, name="foto.csv")))
    assert "binair" in refused(run_import(write(tmp_path, b"ab\x00cd" * 10, name="x.csv")))


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, HEADER + "1000001;Jansen;Piet;3511 AB;1-2-1980;actief\r\n")
    with override_settings(FNV={"IMPORT_MAX_BYTES": 20, "MIN_GROUP_SIZE": 3}):
        assert "te groot" in refused(run_import(path))
    assert not Member.objects.exists()


def test_a_malformed_xlsx_is_refused(tmp_path):
    raw = b"PK\x03\x04" + b"dit is geen echte werkmap" * 20
    assert "Excel-bestand is beschadigd" in refused(run_import(write(tmp_path, raw, name="x.xlsx")))


def test_a_member_number_of_the_wrong_shape_is_rejected(tmp_path):
    result = run_import(
        write(tmp_path, "lidnummer;achternaam\r\n12345;Jansen\r\n12345678901;Piet\r\n")
    )
    assert refused(result)
    assert result.rejected == 2
    assert all("6 tot 10 cijfers" in message for message in messages(result))


def test_impossible_postcodes_are_rejected(tmp_path):
    result = run_import(
        write(
            tmp_path, "lidnummer;achternaam;postcode\r\n1000001;A;0123 AB\r\n1000002;B;1234 SS\r\n"
        )
    )
    assert result.rejected == 2 and not Member.objects.exists()


def test_a_row_with_too_many_fields_is_rejected(tmp_path):
    result = run_import(write(tmp_path, "lidnummer;achternaam\r\n1000001;Jansen;extra\r\n"))
    assert "velden" in messages(result)[0]


# --- semantics -----------------------------------------------------------------------------


def test_strict_mode_applies_nothing_when_one_row_is_rejected(tmp_path):
    existing = MemberFactory(member_number="1000001", last_name="Oud")
    result = run_import(write(tmp_path, "lidnummer;achternaam\r\n1000001;Nieuw\r\n1000002;\r\n"))
    assert refused(result) and result.rejected == 1
    existing.refresh_from_db()
    assert existing.last_name == "Oud"
    assert Member.objects.count() == 1


def test_valid_rows_mode_applies_the_good_rows(tmp_path):
    result = run_import(
        write(tmp_path, "lidnummer;achternaam\r\n1000001;Goed\r\n1000002;\r\n"),
        mode=ImportMode.VALID_ROWS,
    )
    assert result.status == ImportStatus.DONE
    assert (result.created, result.rejected) == (1, 1)
    assert list(Member.objects.values_list("member_number", flat=True)) == ["1000001"]


def test_a_member_number_twice_rejects_both_rows(tmp_path):
    result = run_import(
        write(tmp_path, "lidnummer;achternaam\r\n1000001;A\r\n1000001;B\r\n1000003;C\r\n"),
        mode=ImportMode.VALID_ROWS,
    )
    assert result.rejected == 2 and result.created == 1
    assert not Member.objects.filter(member_number="1000001").exists()


def test_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    SectorFactory(name="Handel")
    SectorFactory(name="Bouw en Infra")
    path = str(SAMPLES / "leden-excel-puntkomma.csv")
    run_import(path)
    before = dict(Member.objects.values_list("member_number", "updated_at"))
    second = run_import(path)
    assert second.status == ImportStatus.DONE
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert second.employers_created == 0
    assert dict(Member.objects.values_list("member_number", "updated_at")) == before
    assert second.file_sha256 == type(second).objects.order_by("pk").first().file_sha256


def test_an_absent_column_is_untouched_and_an_empty_cell_is_cleared(tmp_path):
    member = MemberFactory(
        member_number="1000001", first_name="Piet", phone="0612345678", email="p@example.nl"
    )
    result = run_import(write(tmp_path, "lidnummer;achternaam;telefoon\r\n1000001;Jansen;\r\n"))
    assert result.updated == 1
    member.refresh_from_db()
    assert member.phone == "" and member.first_name == "Piet" and member.email == "p@example.nl"
    assert member.last_name == "Jansen"


def test_only_changed_rows_are_written(tmp_path):
    same = MemberFactory(member_number="1000001", last_name="Jansen")
    other = MemberFactory(member_number="1000002", last_name="Oud")
    stamp = same.updated_at
    result = run_import(
        write(tmp_path, "lidnummer;achternaam\r\n1000001;Jansen\r\n1000002;Nieuw\r\n")
    )
    assert (result.updated, result.unchanged) == (1, 1)
    same.refresh_from_db()
    other.refresh_from_db()
    assert same.updated_at == stamp and other.last_name == "Nieuw"


def test_a_new_member_without_status_is_active_and_an_empty_status_keeps_the_old_one(tmp_path):
    MemberFactory(member_number="1000001", status=MemberStatus.SUSPENDED)
    run_import(write(tmp_path, "lidnummer;achternaam;status\r\n1000001;A;\r\n1000002;B;\r\n"))
    assert Member.objects.get(member_number="1000001").status == MemberStatus.SUSPENDED
    assert Member.objects.get(member_number="1000002").status == MemberStatus.ACTIVE


def test_the_region_follows_the_postcode_unless_it_was_chosen_by_hand(tmp_path):
    explicit = MemberFactory(
        member_number="1000001", region=Region.objects.get(code="AM01"), region_is_explicit=True
    )
    run_import(
        write(
            tmp_path, "lidnummer;achternaam;postcode\r\n1000001;A;1011 AB\r\n1000002;B;1011 AB\r\n"
        )
    )
    explicit.refresh_from_db()
    assert explicit.region.code == "AM01" and explicit.municipality.code == "GM0363"
    assert Member.objects.get(member_number="1000002").region.code == "AM18"


def test_the_municipality_column_wins_over_the_postcode(tmp_path):
    run_import(
        write(tmp_path, "lidnummer;achternaam;postcode;gemeente\r\n1000001;A;1011 AB;Utrecht\r\n")
    )
    assert Member.objects.get().region.code == "AM13"


def test_employers_are_matched_by_kvk_name_or_alias(tmp_path):
    known = EmployerFactory(name="Albert Heijn B.V.", aliases=["AH"], kvk_number="35012085")
    content = (
        "lidnummer;achternaam;werkgever;kvk-nummer\r\n"
        "1000001;A;AH;\r\n1000002;B;Iets anders;35012085\r\n1000003;C;albert heijn b.v.;\r\n"
    )
    result = run_import(write(tmp_path, content))
    assert result.employers_created == 0
    assert set(Member.objects.values_list("employer_id", flat=True)) == {known.pk}


def test_an_unknown_sector_is_rejected(tmp_path):
    result = run_import(write(tmp_path, "lidnummer;achternaam;sector\r\n1000001;A;Ruimtevaart\r\n"))
    assert "Onbekende sector ‘Ruimtevaart’" in messages(result)[0]


def test_snapshot_preview_counts_and_apply_ends_missing_members_without_deleting(tmp_path):
    MemberFactory(member_number="1000001", last_name="Blijft")
    gone = MemberFactory(member_number="1000002", last_name="Weg")
    MemberFactory(member_number="1000003", status=MemberStatus.ENDED)
    path = write(tmp_path, "lidnummer;achternaam\r\n1000001;Blijft\r\n1000004;Nieuw\r\n")
    preview = run_import(path, mode=ImportMode.SNAPSHOT, apply=False)
    assert preview.status == ImportStatus.PREVIEWED
    assert (preview.to_create, preview.to_update, preview.to_end) == (1, 0, 1)
    from members.importing import apply_import

    result = apply_import(preview)
    assert (result.created, result.ended, result.unchanged) == (1, 1, 1)
    gone.refresh_from_db()
    assert gone.status == MemberStatus.ENDED and gone.ended_on is not None
    assert Member.objects.count() == 4


def test_snapshot_mode_applies_nothing_when_a_row_is_rejected(tmp_path):
    keep = MemberFactory(member_number="1000002")
    result = run_import(
        write(tmp_path, "lidnummer;achternaam\r\n1000001;A\r\n1000003;\r\n"),
        mode=ImportMode.SNAPSHOT,
    )
    assert refused(result)
    keep.refresh_from_db()
    assert keep.status == MemberStatus.ACTIVE


def test_an_erased_member_is_not_brought_back(tmp_path):
    ErasedMember.objects.create(number_hash=erased_hash("1000001"))
    result = run_import(write(tmp_path, "lidnummer;achternaam\r\n1000001;A\r\n1000002;B\r\n"))
    assert result.skipped_erased == 1 and result.created == 1
    assert not Member.objects.filter(member_number="1000001").exists()


def test_every_import_is_recorded_with_hash_mode_and_counts(tmp_path):
    result = run_import(write(tmp_path, "lidnummer;achternaam\r\n1000001;A\r\n"))
    assert len(result.file_sha256) == 64
    assert (result.mode, result.rows_total, result.created) == ("strict", 1, 1)
    assert result.finished_at is not None


def test_xlsx_dates_numbers_and_text_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Lidnummer", "Achternaam", "Geboortedatum"])
    sheet.append([1000001.0, "A", dt.datetime(1980, 2, 1)])
    sheet.append(["1000002", "B", "3-4-1981"])
    path = tmp_path / "leden.xlsx"
    workbook.save(path)
    result = run_import(str(path))
    assert result.created == 2
    assert Member.objects.get(member_number="1000001").birth_date == dt.date(1980, 2, 1)


def test_a_file_naming_many_new_employers_links_each_member_to_its_own(tmp_path, monkeypatch):
    """New employers by KvK number and by name only, one named twice in other capitals, one
    KvK number that an admin entered between the check and the apply, and a known employer:
    every member gets the right one, each new employer is made once, and linking them to the
    staged rows takes the same few queries for 35 employers as for one (it was an UPDATE that
    read the whole staging table per employer)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.importing import applying
    from members.models import Employer

    known = EmployerFactory(name="Albert Heijn B.V.", kvk_number="35012085")
    lines = ["lidnummer;achternaam;werkgever;kvk-nummer"]
    for n in range(20):
        lines.append(f"{2000000 + n};Lid;Nieuw Bedrijf {n} B.V.;{50000000 + n}")
    for n in range(12):
        lines.append(f"{2000100 + n};Lid;Stichting Naam Alleen {n};")
    lines += ["2000200;Lid;Bakkerij De Zon;", "2000201;Lid;bakkerij de zon;"]
    lines += ["2000300;Lid;Ingevoerd Tussendoor;60000000", "2000400;Lid;Albert Heijn;35012085"]
    checked = run_import(write(tmp_path, "\r\n".join(lines) + "\r\n"), apply=False)
    assert checked.status == ImportStatus.PREVIEWED, checked.message
    entered = EmployerFactory(name="Ingevoerd Tussendoor", kvk_number="60000000")

    real, queries = applying._create_employers, []

    def counted(cursor, name):
        with CaptureQueriesContext(connection) as captured:
            made = real(cursor, name)
        queries.append(len(captured))
        return made

    monkeypatch.setattr(applying, "_create_employers", counted)
    result = applying.apply_import(checked)
    assert result.status == ImportStatus.DONE and result.created == 36
    assert result.employers_created == 20 + 12 + 1
    assert queries and queries[0] <= 4
    employer_of = {
        number: (name, kvk)
        for number, name, kvk in Member.objects.values_list(
            "member_number", "employer__name", "employer__kvk_number"
        )
    }
    for n in range(20):
        assert employer_of[str(2000000 + n)] == (f"Nieuw Bedrijf {n} B.V.", str(50000000 + n))
    for n in range(12):
        assert employer_of[str(2000100 + n)] == (f"Stichting Naam Alleen {n}", "")
    assert employer_of["2000200"] == employer_of["2000201"]
    assert Employer.objects.filter(name__iexact="Bakkerij De Zon").count() == 1
    assert Member.objects.get(member_number="2000300").employer == entered
    assert Member.objects.get(member_number="2000400").employer == known
