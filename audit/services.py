"""Write the audit trail. Every view, change and export of personal data calls `audit_log`."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from audit import context
from audit.models import AuditAction, AuditEntry


def audit_log(
    *,
    request: HttpRequest | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    subject_member_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Record one access. Pass `obj` or `object_type`/`object_id`; never pass note text as detail.

    Views pass the request (for reads); services pass the acting `user` only, and the address
    and path of the request being served are taken from `audit.context`.

    `subject_member_id` is the member whose data it is (for "who looked at my record").

    A read outside a transaction is one INSERT committed without waiting for the disk (`READS`).
    """
    if user is None and request is not None:
        user = request.user
    actor = user if user is not None and user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    # A service passes only the user: address and path come from the request being served.
    where = context.of_request(request) if request is not None else context.current()
    fields: dict[str, object] = {
        "actor_id": actor.pk if actor else None,
        "actor_role": getattr(actor, "role", "") if actor else "",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "subject_member_id": subject_member_id,
        "detail": detail.replace("\x00", "\ufffd")[:200],
    }
    context.record(fields)
    ip_address = where.ip_address if where else None
    path = where.path if where else ""
    if action in READS and _without_waiting():
        at = timezone.now()
        params: list[Any] = [*(fields[name] for name in _RECORDED), at, ip_address, path]
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(1, returning=True) + NO_WAIT_FOR_DISK, params)
            (pk,) = cursor.fetchone()
        entry = AuditEntry(pk=pk, at=at, ip_address=ip_address, path=path, **fields)
        entry._state.adding = False
        entry._state.db = connection.alias
        return entry
    return AuditEntry.objects.create(**fields, ip_address=ip_address, path=path)


def audit_again(entries: list[dict[str, object]], *, request: HttpRequest) -> None:
    """Write `entries` (recorded by `context.recording`) once more, for `request`: a page served
    from the page cache leaves the trail its rendering would have left.

    One INSERT statement written once, not a model save: on a page from the cache this INSERT is
    the request's only query, and `save()` spent 0.16 ms of its 0.51 ms building it (3 Dec 2026,
    at a million members). The rows are the ones `AuditEntry.objects.create` writes; a test
    holds the two to each other.

    Entries of reads only, outside a transaction: committed without waiting for the disk, as
    `audit_log` writes them.
    """
    if not entries:
        return
    where = context.of_request(request)
    at = timezone.now()
    params: list[Any] = []
    for fields in entries:
        if fields.keys() != _RECORDED_SET:  # audit_log records a field this INSERT would drop
            raise ValueError(f"An audit entry with other fields: {sorted(fields)}")
        params.extend(fields[name] for name in _RECORDED)
        params.extend((at, where.ip_address, where.path))
    sql = _insert_sql(len(entries))
    if all(fields["action"] in READS for fields in entries) and _without_waiting():
        sql += NO_WAIT_FOR_DISK
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# The entries of reads (a page, a list, a search) are committed without waiting for the disk:
# that wait was the whole gap between a page that writes one and a page that only reads
# (docs/performance.md, #16), and its price, the read entries of the last 0.6 s at most when
# PostgreSQL or its machine crashes, is in SECURITY.md. `AUDIT_READS_WAIT_FOR_DISK` undoes it.
# Changes, exports, imports and erasures wait, as does every entry written in a transaction.
READS = frozenset({AuditAction.VIEW, AuditAction.LIST, AuditAction.SEARCH})
# Appended to a statement run on its own (autocommit): the statements of one string run as one
# transaction, and this one lets its commit return before the disk has the WAL; it lasts only
# that transaction. Django's psycopg cursors bind client-side, so one string may hold two.
NO_WAIT_FOR_DISK = "; SET LOCAL synchronous_commit = off"


def _without_waiting() -> bool:
    return not settings.AUDIT_READS_WAIT_FOR_DISK and connection.get_autocommit()


# What `audit_log` records of an entry (`context.record`), in the order of the INSERT.
_RECORDED = (
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "subject_member_id",
    "detail",
)
_RECORDED_SET = frozenset(_RECORDED)


@cache
def _insert_sql(rows: int, *, returning: bool = False) -> str:
    quote = connection.ops.quote_name
    names = [*_RECORDED, "at", "ip_address", "path"]
    column = {f.attname: str(f.column) for f in AuditEntry._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in names)
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    return (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([row] * rows)}"
        + (f" RETURNING {quote(str(AuditEntry._meta.pk.column))}" if returning else "")
    )
