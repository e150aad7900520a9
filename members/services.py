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
    """Stop an import that is not being applied yet; a running check stops at its next step."""
    from members.importing import cancel_import

    if member_import.is_finished:
        return member_import
    if member_import.status == ImportStatus.APPLYING:
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
    if member_import.status in (ImportStatus.UPLOADED, ImportStatus.PREVIEWED, ImportStatus.QUEUED):
        cancel_import(member_import)
    return member_import


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
