"""A re-import skips the check of rows an earlier import wrote as they are (the row hash, #16).

What must hold: a skipped row is exactly one the full check would find unchanged. A member
changed since (by hand, or its employer moved), changed reference data, duplicates and the
snapshot's endings all still come out as with every row checked.
"""

from __future__ import annotations

import pytest

from members.importing.checking import RowChecker
from members.models import ImportMode, ImportStatus, Member, MemberStatus
from tests.factories import EmployerFactory, SectorFactory
from tests.members.helpers import messages, run_import, write

pytestmark = pytest.mark.django_db

HEADER = "lidnummer;achternaam;voornaam;postcode;sector;werkgever;status\r\n"
ROWS = (
    "1000001;Jansen;Jan;3511ab;Handel;Bakkerij De Korf;actief\r\n"
    "1000002;Visser;Anouk;;Handel;;geschorst\r\n"
    "1000003;Bakker;Daan;3511 AB;;;\r\n"
)


@pytest.fixture
def checked_rows(monkeypatch):
    """How many rows went through the full check, per import."""
    counted = []
    original = RowChecker.check_batch

    def counting(self, lines, rows, hashes=None):
        counted.append(len(rows))
        return original(self, lines, rows, hashes)

    monkeypatch.setattr(RowChecker, "check_batch", counting)
    return counted


def test_the_same_file_again_checks_no_row_and_writes_nothing(tmp_path, checked_rows):
    SectorFactory(name="Handel")
    path = write(tmp_path, HEADER + ROWS)
    first = run_import(path)
    assert (first.status, first.created) == (ImportStatus.DONE, 3)
    assert sum(checked_rows) == 3
    stamps = dict(Member.objects.values_list("member_number", "updated_at"))
    assert all(Member.objects.values_list("import_hash", flat=True))
    checked_rows.clear()
    second = run_import(path)
    assert (second.status, second.created, second.updated, second.unchanged) == (
        ImportStatus.DONE,
        0,
        0,
        3,
    )
    assert sum(checked_rows) == 0
    assert dict(Member.objects.values_list("member_number", "updated_at")) == stamps


def test_a_member_changed_by_hand_is_checked_and_set_back(tmp_path, checked_rows):
    SectorFactory(name="Handel")
    path = write(tmp_path, HEADER + ROWS)
    run_import(path)
    member = Member.objects.get(member_number="1000002")
    member.first_name = "Anna"
    member.save()
    checked_rows.clear()
    again = run_import(path)
    assert (again.updated, again.unchanged) == (1, 2)
    assert sum(checked_rows) == 1
    assert Member.objects.get(member_number="1000002").first_name == "Anouk"


def test_a_member_whose_employer_moved_without_updated_at_is_set_back(tmp_path, checked_rows):
    sector = SectorFactory(name="Handel")
    path = write(tmp_path, HEADER + ROWS)
    run_import(path)
    other = EmployerFactory(name="Ander Bedrijf", sector=sector)
    # As the employer merge does it: a queryset update, updated_at stays.
    Member.objects.filter(member_number="1000001").update(employer=other)
    checked_rows.clear()
    again = run_import(path)
    assert (again.updated, again.unchanged, sum(checked_rows)) == (1, 2, 1)
    assert Member.objects.get(member_number="1000001").employer.name == "Bakkerij De Korf"


def test_a_merged_employer_is_followed_without_a_check(tmp_path, checked_rows):
    sector = SectorFactory(name="Handel")
    path = write(tmp_path, HEADER + ROWS)
    run_import(path)
    korf = Member.objects.get(member_number="1000001").employer
    target = EmployerFactory(name="De Korf Groep", sector=sector)  # a new sector would count
    korf.merged_into = target
    korf.save()
    Member.objects.filter(employer=korf).update(employer=target)
    checked_rows.clear()
    again = run_import(path)
    assert (again.updated, again.unchanged) == (0, 3)
    assert sum(checked_rows) == 0


def test_changed_reference_data_checks_every_row_again_and_stores_the_new_hash(
    tmp_path, checked_rows
):
    sector = SectorFactory(name="Handel")
    path = write(tmp_path, HEADER + ROWS)
    run_import(path)
    before = dict(Member.objects.values_list("member_number", "import_hash"))
    stamps = dict(Member.objects.values_list("member_number", "updated_at"))
    SectorFactory(name="Zorg")  # any change in the sectors: the old hashes no longer count
    checked_rows.clear()
    again = run_import(path)
    assert (again.updated, again.unchanged, sum(checked_rows)) == (0, 3, 3)
    after = dict(Member.objects.values_list("member_number", "import_hash"))
    assert all(after[number] != before[number] for number in before)
    assert dict(Member.objects.values_list("member_number", "updated_at")) == stamps
    checked_rows.clear()
    assert run_import(path).unchanged == 3 and sum(checked_rows) == 0
    sector.name = "Handel en Diensten"  # a renamed sector: the rows are refused now
    sector.save()
    refused = run_import(path)
    assert refused.status == ImportStatus.REFUSED and refused.rejected == 2


def test_a_number_twice_is_rejected_also_when_both_rows_are_unchanged(tmp_path, checked_rows):
    SectorFactory(name="Handel")
    run_import(write(tmp_path, HEADER + ROWS))
    line = ROWS.splitlines(keepends=True)[1]
    twice = run_import(write(tmp_path, HEADER + ROWS + line, name="twee.csv"))
    assert twice.status == ImportStatus.REFUSED
    assert messages(twice) == [
        "3|lidnummer|Lidnummer 1000002 staat ook op regel 5; beide regels zijn afgewezen.",
        "5|lidnummer|Lidnummer 1000002 staat ook op regel 3; beide regels zijn afgewezen.",
    ]


def test_a_snapshot_of_unchanged_rows_ends_only_the_members_missing(tmp_path, checked_rows):
    SectorFactory(name="Handel")
    run_import(write(tmp_path, HEADER + ROWS))
    rows = ROWS.splitlines(keepends=True)
    checked_rows.clear()
    snapshot = run_import(
        write(tmp_path, HEADER + rows[0] + rows[2], name="stand.csv"), mode=ImportMode.SNAPSHOT
    )
    assert (snapshot.ended, snapshot.unchanged, sum(checked_rows)) == (1, 2, 0)
    assert Member.objects.get(member_number="1000002").status == MemberStatus.ENDED
    # The ended member's row comes back: checked (the member changed), made active again.
    checked_rows.clear()
    back = run_import(write(tmp_path, HEADER + rows[1], name="terug.csv"))
    assert (back.updated, sum(checked_rows)) == (1, 1)
    assert Member.objects.get(member_number="1000002").status == MemberStatus.SUSPENDED


def test_cells_with_what_copy_escapes_arrive_as_they_are(tmp_path):
    """The staging rows go to PostgreSQL in COPY's text format: backslash, tab, line breaks and
    a literal \\N must come through unchanged (not as escapes, and \\N not as empty)."""
    street = 'Kade\\1\t"a"\r\nachter'
    path = write(
        tmp_path,
        "lidnummer;achternaam;voornaam;straat\r\n"
        f'1000011;Jansen;\\N;"{street.replace(chr(34), chr(34) * 2)}"\r\n',
    )
    result = run_import(path)
    assert result.status == ImportStatus.DONE and result.created == 1
    member = Member.objects.get(member_number="1000011")
    assert (member.first_name, member.street) == ("\\N", street)
