"""Writes of the members app: imports, member activation, correction requests."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_log
from members.models import (
    CorrectionRequest,
    ImportMode,
    ImportStatus,
    Member,
    MemberImport,
    User,
)

ABANDON_AFTER = timedelta(hours=24)


def upload_dir() -> Path:
    """Uploaded import files live outside every served directory, for as long as the import."""
    path = Path(settings.MEDIA_ROOT) / "member-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_upload(*, user: User, uploaded: UploadedFile, mode: str, request=None) -> MemberImport:
    """Store the upload and start checking it in the background (preview comes next)."""
    from members.importing import max_bytes, too_large_message

    if mode not in ImportMode.values:
        raise ValidationError("Onbekende manier van importeren.")
    if uploaded.size > max_bytes():
        raise ValidationError(too_large_message(uploaded.size))
    path = upload_dir() / f"{uuid.uuid4().hex}.upload"
    with open(path, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    with transaction.atomic():
        member_import = MemberImport.objects.create(
            created_by=user,
            file_name=os.path.basename(uploaded.name or "bestand")[:255],
            file_path=str(path),
            file_size=uploaded.size,
            mode=mode,
            source="portal",
        )
        audit_log(
            request=request,
            user=user,
            action=AuditAction.IMPORT,
            obj=member_import,
            detail=f"upload, manier {mode}",
        )
        from members.tasks import validate_member_import

        validate_member_import.delay_on_commit(member_import.pk)
    return member_import


def import_confirm(*, member_import: MemberImport, user: User, request=None) -> MemberImport:
    """The admin saw the preview and confirms: apply in the background."""
    from members.importing import can_apply

    reason = can_apply(member_import)
    if reason:
        raise ValidationError(reason)
    with transaction.atomic():
        claimed = MemberImport.objects.filter(
            pk=member_import.pk, status=ImportStatus.PREVIEWED, cancel_requested=False
        ).update(status=ImportStatus.QUEUED)
        if not claimed:
            raise ValidationError("Deze import is al bevestigd of gestopt.")
        audit_log(
            request=request,
            user=user,
            action=AuditAction.IMPORT,
            obj=member_import,
            detail="bevestigd",
        )
        from members.tasks import apply_member_import

        apply_member_import.delay_on_commit(member_import.pk)
    member_import.refresh_from_db()
    return member_import


def import_cancel(*, member_import: MemberImport, user: User, request=None) -> MemberImport:
    """Stop an import that is not being applied; a running check stops at its next step.

    A check or apply that no process runs any more (its worker died; interrupted or not yet
    swept) ends at once, with its staging table and upload.
    """
    from members.importing import cancel_import, import_is_running

    if member_import.is_finished:
        return member_import
    running = member_import.status in (
        ImportStatus.VALIDATING,
        ImportStatus.APPLYING,
    ) and import_is_running(member_import)
    if running and member_import.status == ImportStatus.APPLYING:
        raise ValidationError("De import wordt al verwerkt en kan niet meer worden geannuleerd.")
    MemberImport.objects.filter(pk=member_import.pk).update(cancel_requested=True)
    member_import.refresh_from_db()
    audit_log(
        request=request,
        user=user,
        action=AuditAction.IMPORT,
        obj=member_import,
        detail="geannuleerd",
    )
    if not running:
        cancel_import(member_import)
    return member_import


def import_retry(*, member_import: MemberImport, user: User, request=None) -> MemberImport:
    """Start an interrupted import again: the check from the file, or the apply from the
    checked rows (the apply is one transaction: a dead one left nothing half-written)."""
    from members.importing import staging_exists
    from members.tasks import apply_member_import, validate_member_import

    if member_import.status != ImportStatus.INTERRUPTED:
        raise ValidationError("Alleen een onderbroken import kan opnieuw worden gestart.")
    apply = member_import.interrupted_during == ImportStatus.APPLYING and staging_exists(
        member_import
    )
    if not apply and not (member_import.file_path and os.path.exists(member_import.file_path)):
        raise ValidationError(
            "Het bestand van deze import is er niet meer. Annuleer de import en upload het bestand opnieuw."
        )
    fields = {"message": "", "interrupted_during": "", "heartbeat_at": timezone.now()}
    if apply:
        fields["status"] = ImportStatus.QUEUED
    else:
        fields.update(status=ImportStatus.UPLOADED, bytes_done=0, rows_total=0)
    with transaction.atomic():
        claimed = MemberImport.objects.filter(
            pk=member_import.pk, status=ImportStatus.INTERRUPTED, cancel_requested=False
        ).update(**fields)
        if not claimed:
            raise ValidationError("Deze import is al opnieuw gestart of gestopt.")
        audit_log(
            request=request,
            user=user,
            action=AuditAction.IMPORT,
            obj=member_import,
            detail="opnieuw gestart (verwerken)" if apply else "opnieuw gestart (controleren)",
        )
        task = apply_member_import if apply else validate_member_import
        task.delay_on_commit(member_import.pk)
    member_import.refresh_from_db()
    return member_import


STALE_AFTER = timedelta(minutes=2)
INTERRUPTED_MESSAGES = {
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


def imports_mark_interrupted(*, now=None) -> int:
    """Checks and applies that no process runs any more are marked interrupted (every minute).

    A check or apply holds the import's lock while it runs and updates the heartbeat as it
    goes; when the heartbeat is older than STALE_AFTER and nobody holds the lock, its worker
    died. An interrupted check loses its half-filled staging table and rejected rows (the
    file stays, for a retry); an interrupted apply loses the upload (its checked rows stay,
    for a retry). Cancelling removes the rest, and so does the daily clean-up.
    """
    from members.importing import delete_upload, drop_staging, import_is_running

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


def imports_abandon_stale(*, now=None) -> int:
    """Imports left unconfirmed or stuck for a day are abandoned; their files and rows go.

    Also removes upload files that no import refers to (a crash between save and record).
    """
    from members.importing import delete_upload, drop_staging

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
    for path in upload_dir().glob("*.upload"):
        age = now.timestamp() - path.stat().st_mtime
        if str(path) not in referenced and age > ABANDON_AFTER.total_seconds():
            path.unlink(missing_ok=True)
    return count


def correction_request_create(*, member: Member, text: str, request=None) -> CorrectionRequest:
    """Store a member's correction request and tell the admins."""
    from django.core.mail import mail_admins, send_mail
    from django.urls import reverse

    text = text.strip()
    if not text:
        raise ValidationError("Schrijf wat er anders moet.")
    with transaction.atomic():
        correction = CorrectionRequest(member=member, text=text)
        correction.full_clean()
        correction.save()
        audit_log(
            request=request,
            action=AuditAction.CREATE,
            obj=correction,
            subject_member_id=member.pk,
        )
    admins = list(User.objects.filter(role="admin", is_active=True).values_list("email", flat=True))
    link = settings.SITE_URL + reverse(
        "admin:members_correctionrequest_change", args=[correction.pk]
    )
    body = (
        f"Lid {member.member_number} vraagt om een correctie van de gegevens.\n"
        f"Bekijk het verzoek in het beheer: {link}\n"
    )
    subject = "Correctieverzoek van een lid"
    # The request text stays in the portal: mail may travel unencrypted.
    if admins:
        send_mail(subject, body, None, admins)
    else:
        mail_admins(subject, body)
    return correction


def member_account_create(*, member: Member, password: str, request=None) -> User:
    """Activation: a member account (role member, email verified) linked to the member."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.user_id:
            raise ValidationError(
                "Dit lidmaatschap heeft al een account. Log in of vraag een nieuw wachtwoord aan."
            )
        email = member.email.strip().lower()
        if not email:
            raise ValidationError("Bij de ledenadministratie is geen e-mailadres bekend.")
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "Er bestaat al een account met dit e-mailadres. Neem contact op met de FNV."
            )
        user = User(email=email, full_name=member.display_name, role="member")
        user.set_password(password)
        user.full_clean()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        member.user = user
        member.save(update_fields=["user", "updated_at"])
        audit_log(
            request=request,
            user=user,
            action=AuditAction.CREATE,
            obj=user,
            subject_member_id=member.pk,
            detail="account geactiveerd",
        )
    return user
