"""Background work of the members app. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from members.models import ImportStatus, MemberImport


@shared_task(acks_late=True, time_limit=2 * 3600, soft_time_limit=2 * 3600 - 60)
def validate_member_import(import_id: int) -> str:
    """Check an uploaded file and prepare the preview. A second run of a finished check is a no-op."""
    from members.importing import validate_import

    member_import = MemberImport.objects.filter(pk=import_id).first()
    if member_import is None or member_import.status not in (
        ImportStatus.UPLOADED,
        ImportStatus.VALIDATING,  # a worker died half-way: start the check again
    ):
        return "skipped"
    member_import.errors.all().delete()
    return validate_import(member_import).status


@shared_task(acks_late=True, time_limit=2 * 3600, soft_time_limit=2 * 3600 - 60)
def apply_member_import(import_id: int) -> str:
    """Apply a confirmed import; only a QUEUED import is claimed, so a second run does nothing."""
    from members.importing import apply_import

    member_import = MemberImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).first()
    if member_import is None:
        return "skipped"
    return apply_import(member_import).status


@shared_task
def cleanup_member_imports() -> int:
    from members.services import imports_abandon_stale

    return imports_abandon_stale()
