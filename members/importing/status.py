"""How an import ends when it is not applied: refused or cancelled."""

from __future__ import annotations

from django.utils import timezone

from members.importing.locks import import_is_running
from members.importing.staging import delete_upload, drop_staging
from members.models import ImportStatus, MemberImport


def refuse_import(member_import: MemberImport, message: str) -> MemberImport:
    member_import.status = ImportStatus.REFUSED
    member_import.message = message
    member_import.finished_at = timezone.now()
    member_import.save()
    drop_staging(member_import)
    delete_upload(member_import)
    return member_import


def cancel_import(member_import: MemberImport) -> MemberImport:
    """Stop an import that has not been applied; its file and staging rows go.

    An import being applied is not stopped, unless its apply died (no process holds its lock:
    the transaction was rolled back). The status changes only from the one the caller saw, so
    an apply or check that finished meanwhile keeps its result.
    """
    if member_import.is_finished:
        return member_import
    if member_import.status == ImportStatus.APPLYING and import_is_running(member_import):
        return member_import
    now = timezone.now()
    message = "Geannuleerd; er is niets verwerkt."
    cancelled = MemberImport.objects.filter(
        pk=member_import.pk, status=member_import.status
    ).update(status=ImportStatus.CANCELLED, cancel_requested=True, finished_at=now, message=message)
    if not cancelled:
        member_import.refresh_from_db()
        return member_import
    member_import.status = ImportStatus.CANCELLED
    member_import.cancel_requested = True
    member_import.finished_at = now
    member_import.message = message
    drop_staging(member_import)
    delete_upload(member_import)
    return member_import
