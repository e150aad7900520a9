"""A large import is applied as a bulk load: indexes and foreign keys set aside and rebuilt.

The threshold is lowered here so that a file of a few rows takes the bulk path.
"""

from __future__ import annotations

import contextlib

import psycopg
import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from members.importing import applying
from members.models import ImportStatus, Member
from tests.factories import MemberFactory, SectorFactory
from tests.members.helpers import run_import, write

pytestmark = pytest.mark.django_db

ROWS = (
    "lidnummer;achternaam;postcode;sector;werkgever;kvk-nummer\r\n"
    "2000001;Jansen;3511 AB;Handel;Albert Heijn;12345678\r\n"
    "2000002;de Vries;1012 AB;Handel;;\r\n"
    "2000003;Bakker;;;;\r\n"
)


def bulk_from(rows: int):
    return override_settings(FNV={**settings.FNV, "IMPORT_BULK_ROWS": rows})


def catalogue() -> list[tuple[str, str]]:
    """Every index and constraint of the members table, as PostgreSQL would recreate it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'members_member' "
            "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'members_member'::regclass ORDER BY 1, 2"
        )
        return cursor.fetchall()


@contextlib.contextmanager
def statements(fail_on: str = ""):
    """The SQL the import sends; with `fail_on`, the first statement holding it fails."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if fail_on and fail_on in sql:
            raise RuntimeError("simulated failure half-way")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def test_a_bulk_load_rebuilds_every_index_and_constraint_exactly(tmp_path):
    SectorFactory(name="Handel")
    before = catalogue()
    assert len(before) >= 10  # primary key, member number, foreign keys, indexes
    with bulk_from(2), statements() as seen:
        result = run_import(write(tmp_path, ROWS))
    assert result.status == ImportStatus.DONE and result.created == 3
    assert any(sql.startswith("DROP INDEX") for sql in seen)
    assert any("ADD CONSTRAINT" in sql and "FOREIGN KEY" in sql for sql in seen)
    assert catalogue() == before
    jansen = Member.objects.get(member_number="2000001")
    assert jansen.region.code == "AM13" and jansen.sector.name == "Handel"
    assert jansen.employer.kvk_number == "12345678"
    assert Member.objects.get(member_number="2000003").region is None


def test_the_foreign_keys_hold_again_after_a_bulk_load(tmp_path):
    SectorFactory(name="Handel")
    with bulk_from(2):
        run_import(write(tmp_path, ROWS))
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(member_number="2000001").update(sector_id=999_999)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_login_link_keeps_its_constraints_during_a_bulk_load(tmp_path):
    """Dropping a foreign key locks the table it points to: the one to accounts stays."""
    SectorFactory(name="Handel")
    with bulk_from(2), statements() as seen:
        run_import(write(tmp_path, ROWS))
    dropped = " ".join(sql for sql in seen if "DROP CONSTRAINT" in sql)
    assert "fk_members_sector" in dropped and "member_number_unique" in dropped
    assert "user_id" not in dropped


def test_a_bulk_load_that_fails_half_way_changes_nothing(tmp_path):
    SectorFactory(name="Handel")
    MemberFactory(member_number="1999999")
    before = catalogue()
    member_import = run_import(write(tmp_path, ROWS), apply=False)
    with bulk_from(2), statements(fail_on="CREATE INDEX"), pytest.raises(RuntimeError):
        applying.apply_import(member_import)
    assert list(Member.objects.values_list("member_number", flat=True)) == ["1999999"]
    assert catalogue() == before


def test_a_few_new_members_in_a_large_table_are_inserted_the_ordinary_way(tmp_path):
    SectorFactory(name="Handel")
    MemberFactory.create_batch(8)
    with bulk_from(2), statements() as seen:
        result = run_import(write(tmp_path, ROWS))
    assert result.created == 3  # 3 new beside 8: fewer than half as many as there are
    assert not any("DROP INDEX" in sql or "DROP CONSTRAINT" in sql for sql in seen)
    assert any("ON CONFLICT" in sql for sql in seen)


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_does_not_wait_for_a_busy_table(tmp_path, monkeypatch):
    """Someone holds the members table: the import goes the ordinary way instead of waiting."""
    monkeypatch.setattr(applying, "BULK_LOCK_TIMEOUT", "200ms")
    SectorFactory(name="Handel")
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}) as other:
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM members_member")  # holds a share lock until rollback
        with bulk_from(2), statements() as seen:
            result = run_import(write(tmp_path, ROWS))
        other.execute("ROLLBACK")
    assert result.status == ImportStatus.DONE and result.created == 3
    assert any("LOCK TABLE" in sql for sql in seen)
    assert not any("DROP INDEX" in sql for sql in seen)
