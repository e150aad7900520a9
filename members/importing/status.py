"""How an import ends when it is not applied: refused, cancelled, failed, interrupted, abandoned.

The worker's side of the import's status (the tasks call these); the changes a person asks for
(upload, confirm, cancel, retry) go through members.services, which queues the tasks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_log
from members.importing.locks import import_is_running
from members.importing.staging import STORE_FOLDER, delete_upload, drop_staging, upload_dir
from members.models import FINISHED_IMPORT_STATUSES, ImportStatus, MemberImport

STALE_AFTER = timedelta(minutes=2)
ABANDON_AFTER = timedelta(hours=24)
INTERRUPTED_MESSAGES: dict[str, str] = {
    ImportStatus.VALIDATING: (
        "Onderbroken: het controleren stopte onverwacht (het proces dat het deed, is "
        "uitgevallen). Er is niets verwerkt. Start de import opnieuw of annuleer hem."
    ),
    ImportStatus.APPLYING: (
        "Onderbroken: het verwerken stopte onverwacht (het proces dat het deed, is uitgevallen). "
        "Er is niets verwerkt: het verwerken gebeurt in één keer of helemaal niet. Start de "
        "import opnieuw of annuleer hem."
    ),
}


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


def fail_import(import_id: int) -> None:
    """An unexpected error: record it, and remove the file and staging rows (nothing applied)."""
    member_import = MemberImport.objects.get(pk=import_id)
    failed = (
        MemberImport.objects.filter(pk=import_id)
        .exclude(status__in=[*FINISHED_IMPORT_STATUSES, ImportStatus.INTERRUPTED])
        .update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message="Onverwachte fout bij het verwerken; er is niets verwerkt. Probeer het opnieuw of meld het.",
        )
    )
    if failed:  # a cancel or the sweep may have ended it first
        drop_staging(member_import)
        delete_upload(member_import)


def mark_interrupted_imports(*, now: datetime | None = None) -> int:
    """Checks and applies that no process runs any more are marked interrupted (every minute).

    A check or apply holds the import's lock while it runs and updates the heartbeat as it
    goes; when the heartbeat is older than STALE_AFTER and nobody holds the lock, its worker
    died. An interrupted check loses its half-filled staging table and rejected rows (the
    file stays, for a retry); an interrupted apply loses the upload (its checked rows stay,
    for a retry). Cancelling removes the rest, and so does the daily clean-up.
    """
    now = now or timezone.now()
    stale_before = now - STALE_AFTER
    candidates = MemberImport.objects.filter(
        status__in=[ImportStatus.VALIDATING, ImportStatus.APPLYING]
    ).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, created_at__lt=stale_before)
    )
    count = 0
    for member_import in candidates:
        if import_is_running(member_import):
            continue
        phase = member_import.status
        marked = MemberImport.objects.filter(
            pk=member_import.pk, status=phase, heartbeat_at=member_import.heartbeat_at
        ).update(
            status=ImportStatus.INTERRUPTED,
            interrupted_during=phase,
            message=INTERRUPTED_MESSAGES[phase],
        )
        if not marked:
            continue
        count += 1
        if phase == ImportStatus.VALIDATING:
            drop_staging(member_import)
            member_import.errors.all().delete()
        else:
            delete_upload(member_import)
        audit_log(action=AuditAction.IMPORT, obj=member_import, detail="onderbroken")
    return count


def abandon_stale_imports(*, now: datetime | None = None) -> int:
    """Imports left unconfirmed or stuck for a day are abandoned; their files and rows go.

    Also removes upload files that no import refers to (a crash between save and record).
    """
    now = now or timezone.now()
    count = 0
    stale = MemberImport.objects.unfinished().filter(created_at__lt=now - ABANDON_AFTER)
    # An import still "applying" after a day died with its worker (tasks stop after two
    # hours) and its transaction was rolled back: nothing of it was applied.
    for member_import in stale:
        updated = MemberImport.objects.filter(
            pk=member_import.pk, status=member_import.status
        ).update(
            status=ImportStatus.ABANDONED,
            finished_at=now,
            message="Verlaten: niet binnen een dag bevestigd of afgerond; er is niets verwerkt.",
        )
        if updated:
            drop_staging(member_import)
            delete_upload(member_import)
            count += 1
    referenced = set(MemberImport.objects.exclude(file_path="").values_list("file_path", flat=True))
    for path in [*upload_dir().glob("*.upload"), *upload_dir().glob("*.partial")]:
        age = now.timestamp() - path.stat().st_mtime
        if str(path) not in referenced and age > ABANDON_AFTER.total_seconds():
            path.unlink(missing_ok=True)
    # Stored uploads no import refers to (an upload whose import was never recorded, or the
    # admin's preview that was left): gone after the same day.
    stored = set(MemberImport.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    _folders, names = default_storage.listdir(STORE_FOLDER)
    for name in names:
        full = f"{STORE_FOLDER}/{name}"
        if full not in stored:
            created = default_storage.get_created_time(full)
            if (now - created).total_seconds() > ABANDON_AFTER.total_seconds():
                default_storage.delete(full)
    return count
