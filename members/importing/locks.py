"""Is an import's check or apply still running? Advisory locks held by the process doing it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connection

from members.models import MemberImport

IMPORT_LOCK = 72002  # with the import's id: held by the process checking or applying it
HELPER_LOCK = 72003  # with the import's id: held (shared) by a check's second process


@contextlib.contextmanager
def import_lock(member_import: MemberImport) -> Iterator[bool]:
    """This import's lock for a check, held by this database session; False when taken.

    PostgreSQL frees it when the session ends, so a worker that dies frees it too.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK, member_import.pk])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, member_import.pk]
                    )
            except DatabaseError:
                # The session cannot run a statement any more: closing it frees the lock, so
                # the import is not taken for running forever by a worker's reused connection.
                if not connection.in_atomic_block:
                    connection.close()


def import_is_running(member_import: MemberImport) -> bool:
    """Whether some process holds this import's lock (checking or applying it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND objsubid = 2 AND classid::bigint IN (%s, %s) AND objid::bigint = %s)",
            [IMPORT_LOCK, HELPER_LOCK, member_import.pk],
        )
        return bool(cursor.fetchone()[0])
