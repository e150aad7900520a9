"""The check of a large CSV file in two processes: this one checks the first half, a second
process (`python -m members.importpart`, which calls `check_part`) the second half, into the same
staging table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse

from django.conf import settings
from django.db import connection

from core.conf import feature_setting
from members.importing.checking import Lookups, RowChecker
from members.importing.format import ImportCancelled, ImportRefused, map_header
from members.importing.locks import HELPER_LOCK
from members.importing.reading import FileInfo, Part, PartMismatch, open_csv
from members.importing.staging import Counts, copy_checked_rows, record_progress
from members.models import MemberImport


def parallel_min_bytes() -> int:
    return int(feature_setting("IMPORT_PARALLEL_BYTES"))


def check_in_two_processes(
    member_import: MemberImport, info: FileInfo, checker: RowChecker, parts: tuple[Part, Part]
) -> Counts | None:
    """First part here, second part in a helper process; None when a part was misjudged or
    no second process could be started (the caller then checks the file whole)."""
    first, second = parts
    try:
        helper = _start_helper(member_import, info, second)
    except OSError:  # no second process to be had: the caller checks the file whole
        return None
    try:
        table = open_csv(info, first)
        try:
            counts = copy_checked_rows(
                member_import,
                table,
                checker,
                # both halves go at about the same pace: this half's share stands for the whole
                lambda total: record_progress(
                    member_import, table.position() * info.size // first.end, total * 2
                ),
            )
            mismatch = False
        except PartMismatch:
            mismatch = True
        finally:
            table.close()
        output, error_output = helper.communicate()
    except BaseException:
        helper.kill()
        helper.wait()
        raise
    if helper.returncode != 0:
        raise RuntimeError(f"De tweede controle stopte onverwacht:\n{error_output[-4000:]}")
    result = json.loads(output.strip().splitlines()[-1])
    if "refused" in result:
        raise ImportRefused(result["refused"])
    if mismatch or result.get("mismatch"):
        return None
    for key, employer_name, kvk in result["new_employers"]:
        checker.lookups.new_employers.setdefault(key, (employer_name, kvk))
    return Counts(
        total=counts.total + result["total"],
        valid=counts.valid + result["valid"],
        skipped=counts.skipped + result["skipped"],
        rejected=counts.rejected + result["rejected"],
    )


def _start_helper(member_import: MemberImport, info: FileInfo, part: Part) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own module, arguments are numbers)
        [
            sys.executable,
            "-m",
            "members.importpart",
            str(member_import.pk),
            str(part.start),
            str(part.end),
            str(part.first_line),
            info.encoding,
            str(os.getpid()),  # the helper stops when this process is no longer its parent
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _this_database_url()},
    )


def _this_database_url() -> str:
    """DATABASE_URL naming the database this connection uses (in tests: the test database)."""
    url = urllib.parse.urlsplit(settings.DATABASE_URL)
    name = urllib.parse.quote(connection.settings_dict["NAME"])
    return urllib.parse.urlunsplit(url._replace(path=f"/{name}"))


def check_part(import_id: int, part: Part, encoding: str, parent: int | None = None) -> dict:
    """The helper process's work (members/importpart.py): check one part into staging.

    `parent`: the checking process that started it. When that process dies (its worker was
    killed), this one stops before its next COPY: the sweep may already have dropped the
    staging table, and a retry may have made a new one with the same name.
    """
    member_import = MemberImport.objects.get(pk=import_id)
    info = FileInfo(member_import.file_path, part.end, "", "csv", encoding=encoding)
    with connection.cursor() as cursor:  # the import counts as running while this process lives
        cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", [HELPER_LOCK, import_id])

    def parent_alive(_total: int = 0) -> None:
        if parent is not None and os.getppid() != parent:
            raise ImportCancelled

    parent_alive()  # the parent may have died while this process started

    try:
        table = open_csv(info, part)
        try:
            checker = RowChecker(map_header(table.header), Lookups.load())
            counts = copy_checked_rows(member_import, table, checker, parent_alive)
        finally:
            table.close()
    except ImportRefused as refused:
        return {"refused": str(refused)}
    except PartMismatch:
        return {"mismatch": True}
    return {
        "total": counts.total,
        "valid": counts.valid,
        "skipped": counts.skipped,
        "rejected": counts.rejected,
        "new_employers": [
            [key, employer_name, kvk]
            for key, (employer_name, kvk) in checker.lookups.new_employers.items()
        ],
    }
