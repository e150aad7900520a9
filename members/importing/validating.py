"""Validation: the file into the staging table, and the preview's counts."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from members.importing.applying import WORK_MEM, count_changes
from members.importing.checking import Lookups, RowChecker
from members.importing.format import STAGING_COLUMNS, ImportCancelled, ImportRefused, map_header
from members.importing.locks import import_lock
from members.importing.parallel import check_in_two_processes, parallel_min_bytes
from members.importing.reading import FileInfo, Table, inspect_file, open_table, split_csv
from members.importing.staging import (
    ErrorWriter,
    copy_checked_rows,
    local_file,
    record_progress,
    staging_table,
    store_new_employers,
)
from members.importing.status import cancel_import, refuse_import
from members.models import ImportStatus, MemberImport


def validate_import(member_import: MemberImport) -> MemberImport:
    """Parse and check the file, COPY the good rows into staging, count what would change.

    Ends in PREVIEWED, or REFUSED with a Dutch message (nothing changed), or CANCELLED. Holds
    the import's lock throughout (so the sweep can tell a running check from a dead one, and a
    second delivery of the same task does nothing), and starts again from the file when a
    check of it died half-way.
    """
    with import_lock(member_import) as mine:
        if not mine:  # another process is checking this import
            member_import.refresh_from_db()
            return member_import
        claimed = MemberImport.objects.filter(
            pk=member_import.pk, status__in=[ImportStatus.UPLOADED, ImportStatus.VALIDATING]
        ).update(status=ImportStatus.VALIDATING, heartbeat_at=timezone.now())
        if not claimed:  # cancelled, interrupted or checked meanwhile
            member_import.refresh_from_db()
            return member_import
        member_import.status = ImportStatus.VALIDATING
        member_import.errors.all().delete()  # of a check that died half-way
        return _validate(member_import)


def _validate(member_import: MemberImport) -> MemberImport:
    try:
        info = inspect_file(local_file(member_import))
        member_import.file_size = info.size
        member_import.file_sha256 = info.sha256
        table = open_table(info)
        try:
            columns = map_header(table.header)
            member_import.file_format = info.label
            member_import.columns = [column.field for column in columns if column]
            member_import.save()
            _stream_into_staging(member_import, info, table, RowChecker(columns, Lookups.load()))
        finally:
            table.close()
    except ImportRefused as refused:
        return refuse_import(member_import, str(refused))
    except ImportCancelled:
        return cancel_import(member_import)
    if member_import.rows_total == 0:
        return refuse_import(member_import, "Het bestand bevat alleen een kopregel en geen leden.")
    count_changes(member_import)
    member_import.status = ImportStatus.PREVIEWED
    member_import.bytes_done = member_import.file_size
    member_import.save()
    return member_import


def _stream_into_staging(
    member_import: MemberImport, info: FileInfo, table: Table, checker: RowChecker
) -> None:
    """Check every row into the staging table; a large CSV file in two processes at once.

    The checking is Python on one core; the machine has more. A large CSV file is split at a
    record boundary near the middle and a second process (`members.importpart`) checks the
    second half into the same staging table while this one checks the first.
    """
    name = staging_table(member_import)
    with connection.cursor() as cursor:
        columns_sql = ", ".join(f"{column} {kind}" for column, kind in STAGING_COLUMNS)
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE UNLOGGED TABLE {name} ({columns_sql})")
    parts = None
    if info.kind == "csv" and 0 < parallel_min_bytes() <= info.size:
        parts = split_csv(info.path, info.size)
    counts = check_in_two_processes(member_import, info, checker, parts) if parts else None
    if counts is None:
        if parts:  # the two-process check did not hold: start again with the file whole
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {name}")
            member_import.errors.all().delete()
            checker.lookups.new_employers.clear()
        counts = copy_checked_rows(
            member_import,
            table,
            checker,
            lambda total: record_progress(member_import, table.position(), total),
        )
    total, valid, skipped = counts.total, counts.valid, counts.skipped
    errors = ErrorWriter(member_import)
    errors.lines = counts.rejected
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {name}")
        # A member number twice in one file: both rows are rejected. First whether there are
        # any: counting the distinct numbers sorts them in memory (0.17 s for a million), where
        # grouping them to find the ones twice hashes every number (0.5-0.7 s); only a file
        # with duplicates pays for finding them, and then for their lines.
        with transaction.atomic():
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute(f"SELECT count(*) > count(DISTINCT member_number) FROM {name}")
            twice = []
            if cursor.fetchone()[0]:
                cursor.execute(
                    f"SELECT member_number FROM {name} GROUP BY member_number HAVING count(*) > 1"
                )
                twice = [number for (number,) in cursor.fetchall()]
        duplicates = []
        if twice:
            cursor.execute(
                f"SELECT member_number, array_agg(line ORDER BY line) FROM {name} "
                "WHERE member_number = ANY(%s) GROUP BY member_number ORDER BY member_number",
                [twice],
            )
            duplicates = cursor.fetchall()
        if duplicates:
            cursor.execute(
                f"DELETE FROM {name} WHERE member_number = ANY(%s)",
                [[number for number, _ in duplicates]],
            )
            for number, lines in duplicates:
                for line in lines:
                    others = ", ".join(str(other) for other in lines if other != line)
                    errors.add(
                        line,
                        [
                            (
                                "lidnummer",
                                f"Lidnummer {number} staat ook op regel {others}; beide regels zijn afgewezen.",
                            )
                        ],
                    )
                valid -= len(lines)
            errors.flush()
    member_import.rows_total = total
    member_import.rows_valid = valid
    member_import.rejected = errors.lines
    member_import.skipped_erased = skipped
    member_import.employers_created = len(checker.lookups.new_employers)
    store_new_employers(member_import, checker.lookups.new_employers)
