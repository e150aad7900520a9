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
        ImportStatus.VALIDATING,  # delivered again after a worker died: start the check again
    ):
        return "skipped"
    try:
        return validate_import(member_import).status
    except Exception:
        _fail(import_id)
        raise


@shared_task(acks_late=True, time_limit=2 * 3600, soft_time_limit=2 * 3600 - 60)
def apply_member_import(import_id: int) -> str:
    """Apply a confirmed import; only a QUEUED import is claimed, so a second run does nothing."""
    from members.importing import apply_import

    member_import = MemberImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).first()
    if member_import is None:
        return "skipped"
    try:
        return apply_import(member_import).status
    except Exception:
        _fail(import_id)
        raise


def _fail(import_id: int) -> None:
    """An unexpected error: record it, and remove the file and staging rows (nothing applied)."""
    from django.utils import timezone

    from members.importing import delete_upload, drop_staging
    from members.models import FINISHED_IMPORT_STATUSES

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


@shared_task
def sweep_interrupted_member_imports() -> int:
    """Every minute: a check or apply whose worker died is marked interrupted (retry or cancel)."""
    from members.services import imports_mark_interrupted

    return imports_mark_interrupted()


@shared_task
def cleanup_member_imports() -> int:
    from members.services import imports_abandon_stale

    return imports_abandon_stale()


@shared_task(acks_late=True)
def send_activation_mail(member_id: int) -> bool:
    """Mail the activation link to the email on file (only there). Safe to run twice: a second
    mail carries a link that works just as well, and none is sent once an account exists."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from members.models import Member
    from members.views import activation_token

    member = Member.objects.filter(pk=member_id, user__isnull=True).exclude(email="").first()
    if member is None:
        return False
    link = settings.SITE_URL + reverse(
        "members:activate_confirm", kwargs={"token": activation_token(member)}
    )
    send_mail(
        "Activeer je account op FNV Regio",
        (
            f"Beste {member.display_name},\n\n"
            "Je hebt gevraagd om een account op FNV Regio. Kies je wachtwoord via deze link "
            f"(48 uur geldig):\n\n{link}\n\n"
            "Heb je dit niet zelf gevraagd? Dan kun je deze mail negeren.\n"
        ),
        None,
        [member.email],
    )
    return True
