"""Write the audit trail. Every view, change and export of personal data calls `audit_log`."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest

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
    return AuditEntry.objects.create(
        **fields,
        ip_address=where.ip_address if where else None,
        path=where.path if where else "",
    )


def audit_again(entries: list[dict[str, object]], *, request: HttpRequest) -> None:
    """Write `entries` (recorded by `context.recording`) once more, for `request`: a page served
    from the page cache leaves the trail its rendering would have left."""
    where = context.of_request(request)
    rows = [
        AuditEntry(**fields, ip_address=where.ip_address, path=where.path) for fields in entries
    ]
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one statement; bulk_create adds BEGIN and COMMIT
    else:
        AuditEntry.objects.bulk_create(rows)
