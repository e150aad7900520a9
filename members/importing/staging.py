"""The staging table (one per import), the rejected rows and the uploaded file.

The checked rows are written into the staging table with `COPY`, a batch at a time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from members.importing.checking import RowChecker, erased_hash, known_row_hashes
from members.importing.format import STAGING_COLUMNS, ImportCancelled
from members.importing.reading import Table
from members.models import MemberImport, MemberImportError

PROGRESS_EVERY = 20_000
BATCH_ROWS = 5_000


def staging_table(member_import: MemberImport) -> str:
    return f"members_import_staging_{int(member_import.pk)}"


def staging_exists(member_import: MemberImport) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
            [staging_table(member_import), staging_table(member_import) + "_employers"],
        )
        return bool(cursor.fetchone()[0])


def drop_staging(member_import: MemberImport) -> None:
    name = staging_table(member_import)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}, {name}_employers")


STORE_FOLDER = "member-imports"


def store_upload(uploaded: File) -> str:
    """Keep an upload in the file store every machine reaches; returns its name there."""
    return default_storage.save(f"{STORE_FOLDER}/{uuid.uuid4().hex}.upload", uploaded)


def local_file(member_import: MemberImport) -> str:
    """A path to the import's file on this machine: the command line's own file, or a local
    copy of the stored upload, made once per machine (streamed, never whole in memory)."""
    if member_import.file_path and os.path.exists(member_import.file_path):
        return member_import.file_path
    if not member_import.stored_name:
        raise FileNotFoundError(member_import.file_path or "no file")
    path = upload_dir() / f"{int(member_import.pk)}-{os.path.basename(member_import.stored_name)}"
    partial = path.with_suffix(".partial")
    with (
        default_storage.open(member_import.stored_name, "rb") as source,
        open(partial, "wb") as copy,
    ):
        shutil.copyfileobj(source, copy, 1024 * 1024)
    partial.replace(path)
    member_import.file_path = str(path)
    MemberImport.objects.filter(pk=member_import.pk).update(file_path=str(path))
    return str(path)


def has_file(member_import: MemberImport) -> bool:
    if member_import.file_path and os.path.exists(member_import.file_path):
        return True
    return bool(member_import.stored_name) and default_storage.exists(member_import.stored_name)


def upload_dir() -> Path:
    """This machine's working copies of import files, outside every served directory, for as
    long as the import."""
    path = Path(settings.MEDIA_ROOT) / "member-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def delete_upload(member_import: MemberImport) -> None:
    """The uploaded file goes as soon as an import ends (applied, refused, cancelled, abandoned):
    from the store, and this machine's working copy. (Another machine's working copy goes with
    that machine's hourly clean-up, as it is no longer referenced.)"""
    if member_import.file_path and member_import.source != "command":
        with contextlib.suppress(FileNotFoundError):
            os.remove(member_import.file_path)
    if member_import.stored_name:
        default_storage.delete(member_import.stored_name)
    if member_import.file_path or member_import.stored_name:
        member_import.file_path = member_import.stored_name = ""
        MemberImport.objects.filter(pk=member_import.pk).update(file_path="", stored_name="")


class ErrorWriter:
    """Rejected rows into MemberImportError, in batches (every import path writes through it)."""

    def __init__(self, member_import: MemberImport):
        self.member_import = member_import
        self.batch: list[MemberImportError] = []
        self.lines = 0

    def add(self, line: int, errors: list[tuple[str, str]]) -> None:
        self.lines += 1
        for column, message in errors:
            self.batch.append(
                MemberImportError(
                    member_import=self.member_import,
                    line=line,
                    column=column,
                    message=message[:300],
                )
            )

    def flush(self) -> None:
        if self.batch:
            MemberImportError.objects.bulk_create(self.batch)
            self.batch = []


def _batches(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[list[int], list[list[str]]]]:
    """The file's non-empty rows in batches of BATCH_ROWS: (line numbers, cell values)."""
    lines: list[int] = []
    batch: list[list[str]] = []
    for line, values in rows:
        if any(values):
            lines.append(line)
            batch.append(values)
            if len(batch) == BATCH_ROWS:
                yield lines, batch
                lines, batch = [], []
    if batch:
        yield lines, batch


@dataclass
class Counts:
    total: int = 0
    valid: int = 0
    skipped: int = 0  # erased members
    rejected: int = 0


def copy_checked_rows(
    member_import: MemberImport,
    table: Table,
    checker: RowChecker,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Check the table's rows and COPY the good ones into the staging table."""
    name = staging_table(member_import)
    errors = ErrorWriter(member_import)
    counts = Counts()
    # The hashes of rows earlier imports wrote: a row among them is not checked again.
    checker.known = known_row_hashes(checker.employer)
    copy_sql = f"COPY {name} ({', '.join(column for column, _ in STAGING_COLUMNS)}) FROM STDIN"
    batches = _batches(table.rows)
    finished = False
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own: Django's debug wrapper logs every COPY in memory
        while not finished:
            # One COPY per PROGRESS_EVERY rows: between them the connection is free for the
            # progress update, the rejected rows and the cancel check.
            finished = True
            progress_at = counts.total + PROGRESS_EVERY
            with raw.copy(copy_sql) as copy:
                for lines, rows in batches:
                    counts.total += len(rows)
                    copy.write(_staged_text(checker, lines, rows, errors, counts))
                    if counts.total >= progress_at:
                        finished = False
                        break
            errors.flush()
            if not finished and progress:
                progress(counts.total)
    counts.rejected = errors.lines
    return counts


UNCHANGED_TAIL = "\t\\N" * (len(STAGING_COLUMNS) - 3) + "\tt\n"  # NULLs, then unchanged


def _staged_text(
    checker: RowChecker,
    lines: list[int],
    rows: list[list[str]],
    errors: ErrorWriter,
    counts: Counts,
) -> str:
    """One batch as COPY text. A row an earlier import wrote as it is (RowChecker.unchanged)
    is staged with its line and member number only; the others are checked."""
    hashes = checker.row_hashes(rows)
    same = checker.unchanged(rows, hashes)
    number_at = checker.number_position
    # The number passed the check when the hash was stored: digits only, no quoting needed.
    numbers = [(lines[position], rows[position][number_at].strip()) for position in same]
    if same:
        found = set(same)
        rest = [position for position in range(len(rows)) if position not in found]
        lines = [lines[position] for position in rest]
        rows = [rows[position] for position in rest]
        hashes = [hashes[position] for position in rest]
    staged, rejected = checker.check_batch(lines, rows, hashes) if rows else ([], [])
    for line, row_errors in rejected:
        errors.add(line, row_errors)
    erased = checker.lookups.erased
    if erased:
        kept = [row for row in staged if erased_hash(row[1]) not in erased]
        kept_numbers = [
            (line, number) for line, number in numbers if erased_hash(number) not in erased
        ]
        counts.skipped += len(staged) - len(kept) + len(numbers) - len(kept_numbers)
        staged, numbers = kept, kept_numbers
    counts.valid += len(staged) + len(numbers)
    text = _copy_text(staged)
    return text + "".join(f"{line}\t{number}{UNCHANGED_TAIL}" for line, number in numbers)


NUMERIC = [kind in ("integer", "bigint") for _, kind in STAGING_COLUMNS]
SPECIAL = ("\\", "\t", "\n", "\r")  # what COPY's text format escapes


def _copy_text(rows: list[tuple]) -> str:
    """Staging rows in COPY's text format, built a column at a time (faster than csv.writer)."""
    if not rows:
        return ""
    columns: list[Sequence[str]] = []
    for numeric, values in zip(NUMERIC, zip(*rows, strict=True), strict=True):
        has_null = None in values
        if numeric:
            if has_null:
                columns.append(["\\N" if value is None else str(value) for value in values])
            else:
                columns.append(list(map(str, values)))
            continue
        present = [value for value in values if value is not None] if has_null else values
        joined = "\x00".join(present)
        if any(special in joined for special in SPECIAL):
            values = tuple(
                None
                if value is None
                else value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                for value in values
            )
        if has_null:
            values = tuple("\\N" if value is None else value for value in values)
        columns.append(values)
    return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def store_new_employers(member_import: MemberImport, new: dict[str, tuple[str, str]]) -> None:
    """Employers not yet known are created only when the import is applied: keep them aside."""
    name = staging_table(member_import) + "_employers"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE UNLOGGED TABLE {name} (key text primary key, name text, kvk text)")
        if new:
            with cursor.copy(f"COPY {name} (key, name, kvk) FROM STDIN") as copy:
                for key, (employer_name, kvk) in new.items():
                    copy.write_row((key, employer_name[:200], kvk))


def record_progress(member_import: MemberImport, position: int, total: int) -> None:
    member_import.bytes_done = position
    MemberImport.objects.filter(pk=member_import.pk).update(
        bytes_done=position, rows_total=total, heartbeat_at=timezone.now()
    )
    if MemberImport.objects.filter(pk=member_import.pk, cancel_requested=True).exists():
        raise ImportCancelled
