"""The set-based SQL: the preview's counts and the apply (one transaction)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from core.conf import feature_setting
from members.importing.format import TEXT_FIELDS
from members.importing.locks import IMPORT_LOCK
from members.importing.staging import delete_upload, drop_staging, staging_table
from members.importing.status import cancel_import, refuse_import
from members.models import Employer, ImportMode, ImportStatus, MemberImport

BULK_LOCK_TIMEOUT = "5s"  # how long a bulk load waits for the members table
WORK_MEM = "64MB"


def _targets(fields: set[str]) -> list[tuple[str, str]]:
    """(member column, SQL expression of its new value) for the columns this file holds.

    `m` is the member row as it is, `s` the staging row.
    """
    targets = [(name, f"s.{name}") for name in TEXT_FIELDS if name in fields]
    for name in ("birth_date", "member_since"):
        if name in fields:
            targets.append((name, f"s.{name}"))
    if "sector" in fields:
        targets.append(("sector_id", "s.sector_id"))
    if "employer" in fields or "kvk" in fields:
        targets.append(("employer_id", "s.employer_id"))
    if "municipality" in fields or "postcode" in fields:
        targets.append(("municipality_id", "s.municipality_id"))
        targets.append(
            ("region_id", "CASE WHEN m.region_is_explicit THEN m.region_id ELSE s.region_id END")
        )
    if "status" in fields:
        targets.append(("status", "COALESCE(s.status, m.status)"))
        targets.append(
            (
                "ended_on",
                "CASE WHEN COALESCE(s.status, m.status) = 'ended' "
                "THEN COALESCE(m.ended_on, CURRENT_DATE) ELSE NULL END",
            )
        )
    return targets


def _changed_condition(targets: list[tuple[str, str]]) -> str:
    left = ", ".join(f"m.{name}" for name, _ in targets)
    right = ", ".join(expression for _, expression in targets)
    return f"ROW({left}) IS DISTINCT FROM ROW({right})"


def count_changes(member_import: MemberImport) -> None:
    name = staging_table(member_import)
    targets = _targets(set(member_import.columns))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # One join counts both: staging rows without a member are new, the others may change.
        changed = _changed_condition(targets) if targets else "false"
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE m.id IS NULL), "
            f"count(*) FILTER (WHERE m.id IS NOT NULL AND {changed}) "
            f"FROM {name} s LEFT JOIN members_member m ON m.member_number = s.member_number "
            "WHERE s.unchanged IS NULL"
        )
        member_import.to_create, member_import.to_update = cursor.fetchone()
        member_import.to_end = 0
        if member_import.mode == ImportMode.SNAPSHOT:
            cursor.execute(
                "SELECT count(*) FROM members_member m WHERE m.status <> 'ended' AND NOT EXISTS "
                f"(SELECT 1 FROM {name} s WHERE s.member_number = m.member_number)"
            )
            member_import.to_end = cursor.fetchone()[0]


def can_apply(member_import: MemberImport) -> str:
    """'' when the checked import may be applied, else the Dutch reason why not."""
    if (
        member_import.status != ImportStatus.PREVIEWED
        and member_import.status != ImportStatus.QUEUED
    ):
        return "Deze import is niet (meer) klaar om te verwerken."
    if member_import.rejected and member_import.mode != ImportMode.VALID_ROWS:
        return (
            f"{member_import.rejected} rij(en) afgewezen. In de gekozen manier wordt dan niets verwerkt; "
            "verbeter het bestand of kies ‘alleen de goede rijen’."
        )
    return ""


def apply_import(member_import: MemberImport) -> MemberImport:
    """Apply a checked import in one transaction: new employers, updates, inserts, endings.

    Idempotent: a row whose values equal the member's is not written (updated_at stays), so the
    same file twice writes nothing the second time.
    """
    reason = can_apply(member_import)
    if reason:
        return refuse_import(member_import, reason)
    claimed = MemberImport.objects.filter(
        pk=member_import.pk,
        status__in=[ImportStatus.PREVIEWED, ImportStatus.QUEUED],
        cancel_requested=False,
    ).update(status=ImportStatus.APPLYING, heartbeat_at=timezone.now())
    if not claimed:
        member_import.refresh_from_db()
        if member_import.cancel_requested and not member_import.is_finished:
            return cancel_import(member_import)
        return member_import
    member_import.status = ImportStatus.APPLYING
    name = staging_table(member_import)
    targets = _targets(set(member_import.columns))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        # This import's lock: held until the transaction ends, also when its worker dies
        # (then PostgreSQL rolls back and frees it), so the sweep can tell.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, member_import.pk])
        # One import applies at a time.
        cursor.execute("SELECT pg_advisory_xact_lock(72001)")
        # Hash joins over a million rows stay in memory instead of spilling to disk.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        member_import.employers_created = _create_employers(cursor, name)
        updated = 0
        if targets:
            assignments = ", ".join(f"{column} = {expression}" for column, expression in targets)
            cursor.execute(
                f"UPDATE members_member m SET {assignments}, updated_at = %s, "
                f"import_hash = s.row_hash, import_hash_at = %s FROM {name} s "
                "WHERE m.member_number = s.member_number AND s.unchanged IS NULL "
                f"AND {_changed_condition(targets)}",
                [now, now],
            )
            updated = cursor.rowcount
        bulk = _bulk_load(cursor, member_import.to_create)
        with _secondary_indexes_set_aside(cursor) if bulk else contextlib.nullcontext():
            cursor.execute(
                _insert_sql(name, set(member_import.columns), bulk=bulk), [now, now, now]
            )
            created = cursor.rowcount
        _store_row_hashes(cursor, name, member_import.rows_valid - created - updated)
        ended = 0
        if member_import.mode == ImportMode.SNAPSHOT:
            cursor.execute(
                "UPDATE members_member m SET status = 'ended', "
                "ended_on = COALESCE(m.ended_on, CURRENT_DATE), updated_at = %s "
                "WHERE m.status <> 'ended' AND NOT EXISTS "
                f"(SELECT 1 FROM {name} s WHERE s.member_number = m.member_number)",
                [now],
            )
            ended = cursor.rowcount
        member_import.created = created
        member_import.updated = updated
        member_import.unchanged = member_import.rows_valid - created - updated
        member_import.ended = ended
        member_import.status = ImportStatus.DONE
        member_import.finished_at = timezone.now()
        member_import.bytes_done = member_import.file_size
        member_import.save()
    drop_staging(member_import)
    delete_upload(member_import)
    return member_import


def _store_row_hashes(cursor: CursorWrapper, name: str, unchanged: int) -> None:
    """Rows that were checked and found unchanged keep their member as it is (updated_at stays),
    but the member gets the row's hash when it had another, so that the next import of the
    same row skips its check. Not a change of the member: only the first import of a file
    after this came in (or after a rule or reference data changed) writes these."""
    cursor.execute(f"SELECT count(*) FROM {name} WHERE unchanged")
    if unchanged <= cursor.fetchone()[0]:  # every unchanged row was found by its hash
        return
    cursor.execute(
        f"UPDATE members_member m SET import_hash = s.row_hash, import_hash_at = m.updated_at "
        f"FROM {name} s WHERE m.member_number = s.member_number AND s.unchanged IS NULL "
        "AND (m.import_hash IS DISTINCT FROM s.row_hash "
        "OR m.import_hash_at IS DISTINCT FROM m.updated_at)"
    )


def _bulk_load(cursor: CursorWrapper, to_create: int) -> bool:
    """Whether to insert as a bulk load: many new members, at least half as many as there are.

    Then the members table is locked for the rest of the transaction (readers wait). When the
    lock is not free within a few seconds, the rows are inserted the ordinary way instead.
    """
    if to_create < feature_setting("IMPORT_BULK_ROWS"):
        return False
    cursor.execute("SELECT count(*) FROM members_member")
    if to_create * 2 < cursor.fetchone()[0]:
        return False
    try:
        with transaction.atomic():
            cursor.execute(f"SET LOCAL lock_timeout = '{BULK_LOCK_TIMEOUT}'")
            cursor.execute("LOCK TABLE members_member IN ACCESS EXCLUSIVE MODE")
    except OperationalError:
        return False
    return True


@contextlib.contextmanager
def _secondary_indexes_set_aside(cursor: CursorWrapper) -> Iterator[None]:
    """Drop the members table's secondary indexes and constraints, and rebuild them after.

    PostgreSQL's own advice for loading many rows ("Populating a Database"): building an index
    once over all rows, and checking a foreign key with one join, is several times faster than
    maintaining them row by row. The member-number constraint goes too (the table is locked and
    the insert leaves out numbers that exist, with a hash join). The primary key stays (other
    tables' keys point to it), and so do the constraints on the account link: dropping a
    foreign key locks the table it points to, and logins must not wait for an import. Runs inside the import's
    transaction: if anything fails, the drop is undone with the rest. The definitions are read
    from the catalogue, so they come back exactly.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # nothing may be pending on the table
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'members_member'::regclass AND contype IN ('f', 'u') ORDER BY conname"
    )
    constraints = [
        (constraint, definition)
        for constraint, definition in cursor.fetchall()
        if "(user_id)" not in definition.split("REFERENCES")[0]
    ]
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = 'members_member'::regclass AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY 1"
    )
    indexes = cursor.fetchall()
    for constraint, _ in constraints:
        cursor.execute(f'ALTER TABLE members_member DROP CONSTRAINT "{constraint}"')
    for index, _ in indexes:
        cursor.execute(f"DROP INDEX {index}")
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for constraint, definition in constraints:
        cursor.execute(f'ALTER TABLE members_member ADD CONSTRAINT "{constraint}" {definition}')


def _create_employers(cursor: CursorWrapper, name: str) -> int:
    """The employers the file names and the portal did not know at the check: found by KvK
    number if one was made since, else created; then every staged row gets its employer's id.
    Set-based: a file may name thousands of new employers, and one UPDATE per employer read the
    whole staging table each time."""
    employers = f"{name}_employers"
    cursor.execute(f"SELECT key, name, kvk FROM {employers} ORDER BY key")
    new = cursor.fetchall()
    if not new:
        return 0
    kvks = [kvk for _, _, kvk in new if kvk]
    existing = dict(
        Employer.objects.filter(kvk_number__in=kvks).values_list("kvk_number", "pk") if kvks else []
    )
    missing = [(key, employer_name, kvk) for key, employer_name, kvk in new if kvk not in existing]
    created = Employer.objects.bulk_create(
        [Employer(name=employer_name, kvk_number=kvk) for _, employer_name, kvk in missing]
    )
    ids = {key: existing[kvk] for key, _, kvk in new if kvk in existing}
    ids.update((key, employer.pk) for (key, _, _), employer in zip(missing, created, strict=True))
    cursor.execute(
        f"UPDATE {name} s SET employer_id = e.id "
        "FROM unnest(%s::text[], %s::bigint[]) AS e(key, id) WHERE s.employer_key = e.key",
        [list(ids), list(ids.values())],
    )
    return len(created)


def _insert_sql(name: str, fields: set[str], bulk: bool = False) -> str:
    """The INSERT of the new members. `bulk`: the table is locked, so no conflict can arise."""
    columns = ["member_number"]
    values = ["s.member_number"]
    for text_field in TEXT_FIELDS:
        columns.append(text_field)
        values.append(f"s.{text_field}" if text_field in fields else "''")
    for date_field in ("birth_date", "member_since"):
        if date_field in fields:
            columns.append(date_field)
            values.append(f"s.{date_field}")
    if "sector" in fields:
        columns.append("sector_id")
        values.append("s.sector_id")
    if "employer" in fields or "kvk" in fields:
        columns.append("employer_id")
        values.append("s.employer_id")
    if "municipality" in fields or "postcode" in fields:
        columns += ["municipality_id", "region_id"]
        values += ["s.municipality_id", "s.region_id"]
    status = "COALESCE(s.status, 'active')" if "status" in fields else "'active'"
    columns += ["status", "ended_on", "region_is_explicit", "is_demo", "created_at", "updated_at"]
    values += [
        status,
        f"CASE WHEN {status} = 'ended' THEN CURRENT_DATE ELSE NULL END",
        "false",
        "false",
        "%s",
        "%s",
    ]
    columns += ["import_hash", "import_hash_at"]
    values += ["s.row_hash", "%s"]
    return (
        f"INSERT INTO members_member ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {name} s WHERE s.unchanged IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM members_member m WHERE m.member_number = s.member_number)"
        + ("" if bulk else " ON CONFLICT (member_number) DO NOTHING")
    )
