"""Background work of the members app. Tasks take ids and are safe to run twice.

They call the import's own functions (members.importing) and the activation token
(members.tokens); members.services queues them, so nothing here imports the services.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from core.mail import send_templated_mail
from members.importing import apply_import, validate_import
from members.importing.status import abandon_stale_imports, fail_import, mark_interrupted_imports
from members.models import ImportStatus, Member, MemberImport
from members.tokens import activation_token


@shared_task(acks_late=True, time_limit=2 * 3600, soft_time_limit=2 * 3600 - 60)
def validate_member_import(import_id: int) -> str:
    """Check an uploaded file and prepare the preview. A second run of a finished check is a no-op."""
    member_import = MemberImport.objects.filter(pk=import_id).first()
    if member_import is None or member_import.status not in (
        ImportStatus.UPLOADED,
        ImportStatus.VALIDATING,  # delivered again after a worker died: start the check again
    ):
        return "skipped"
    try:
        return validate_import(member_import).status
    except Exception:
        fail_import(import_id)
        raise


@shared_task(acks_late=True, time_limit=2 * 3600, soft_time_limit=2 * 3600 - 60)
def apply_member_import(import_id: int) -> str:
    """Apply a confirmed import; only a QUEUED import is claimed, so a second run does nothing."""
    member_import = MemberImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).first()
    if member_import is None:
        return "skipped"
    try:
        return apply_import(member_import).status
    except Exception:
        fail_import(import_id)
        raise


@shared_task(time_limit=120, soft_time_limit=100)
def sweep_interrupted_member_imports() -> int:
    """Every minute: a check or apply whose worker died is marked interrupted (retry or cancel)."""
    return mark_interrupted_imports()


@shared_task(time_limit=600, soft_time_limit=540)
def cleanup_member_imports() -> int:
    return abandon_stale_imports()


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def send_activation_mail(member_id: int) -> bool:
    """Mail the activation link to the email on file (only there). Safe to run twice: a second
    mail carries a link that works just as well, and none is sent once an account exists."""
    member = Member.objects.filter(pk=member_id, user__isnull=True).exclude(email="").first()
    if member is None:
        return False
    link = settings.SITE_URL + reverse(
        "members:activate_confirm", kwargs={"token": activation_token(member)}
    )
    send_templated_mail(
        "members/mail/activation", {"name": member.display_name, "link": link}, [member.email]
    )
    return True
