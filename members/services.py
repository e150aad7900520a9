"""Writes of the members app: imports, member activation, correction requests.

Every change of an import's status that a person or the command line asks for goes through
here: `import_create` (every path), then on the portal `import_upload` (queues the check),
`import_confirm` (queues the apply), `import_cancel` and `import_retry`; the command line checks
and applies in its own process with `import_check` and `import_apply`, and the command's dry run
and the admin's import end with `import_finish`. The worker's side (the check, the apply, a
failure, the sweeps) is in members.importing, which the tasks call: this module queues the
tasks, so the tasks do not import it.
"""

from __future__ import annotations

import os
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import mail_admins
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_log
from core.mail import send_templated_mail, templated_message
from members.importing import (
    apply_import,
    can_apply,
    cancel_import,
    delete_upload,
    drop_staging,
    import_is_running,
    max_bytes,
    staging_exists,
    too_large_message,
    validate_import,
)
from members.importing.staging import has_file, store_upload
from members.importing.status import fail_import
from members.models import (
    CorrectionRequest,
    ImportMode,
    ImportStatus,
    Member,
    MemberImport,
    User,
)
from members.tasks import apply_member_import, send_activation_mail, validate_member_import


def import_create(
    *,
    user: User | None,
    source: str,
    file_name: str,
    mode: str,
    detail: str,
    file_path: str = "",
    dry_run: bool = False,
    **fields: Any,
) -> MemberImport:
    """Record a new import (portal, command line or admin) and write it to the audit log."""
    with transaction.atomic():
        member_import = MemberImport.objects.create(
            created_by=user,
            source=source,
            file_name=file_name,
            file_path=file_path,
            mode=mode,
            dry_run=dry_run,
            **fields,
        )
        audit_log(user=user, action=AuditAction.IMPORT, obj=member_import, detail=detail)
    return member_import


def import_upload(*, user: User, uploaded: UploadedFile, mode: str) -> MemberImport:
    """Store the upload and start checking it in the background (preview comes next)."""
    if mode not in ImportMode.values:
        raise ValidationError("Onbekende manier van importeren.")
    # An upload from a form always knows its size (None is for files Django did not receive).
    assert uploaded.size is not None
    if uploaded.size > max_bytes():
        raise ValidationError(too_large_message(uploaded.size))
    stored_name = store_upload(uploaded)
    with transaction.atomic():
        member_import = import_create(
            user=user,
            source="portal",
            file_name=os.path.basename(uploaded.name or "bestand")[:255],
            stored_name=stored_name,
            file_size=uploaded.size,
            mode=mode,
            detail=f"upload, manier {mode}",
        )
        validate_member_import.delay_on_commit(member_import.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return member_import


def import_check(*, member_import: MemberImport) -> MemberImport:
    """Check the file in this process (the command line; the portal queues the same check).

    An unexpected error fails the import as it does in the worker, and is raised again.
    """
    try:
        return validate_import(member_import)
    except Exception:
        fail_import(member_import.pk)
        raise


def import_confirm(*, member_import: MemberImport, user: User) -> MemberImport:
    """The admin saw the preview and confirms: apply in the background."""
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
            user=user,
            action=AuditAction.IMPORT,
            obj=member_import,
            detail="bevestigd",
        )
        apply_member_import.delay_on_commit(member_import.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    member_import.refresh_from_db()
    return member_import


def import_apply(*, member_import: MemberImport) -> MemberImport:
    """Apply a checked import in this process (the command line, which confirms by running)."""
    try:
        return apply_import(member_import)
    except Exception:
        fail_import(member_import.pk)
        raise


def import_finish(
    *, member_import: MemberImport, status: str, message: str = "", **counts: int
) -> MemberImport:
    """End an import that this process checked or applied without the queue: the command's
    dry run (refused or cancelled) and the admin's import (done). Staging table and upload go."""
    MemberImport.objects.filter(pk=member_import.pk).update(
        status=status, message=message, finished_at=timezone.now(), **counts
    )
    drop_staging(member_import)
    delete_upload(member_import)
    member_import.refresh_from_db()
    return member_import


def import_cancel(*, member_import: MemberImport, user: User) -> MemberImport:
    """Stop an import that is not being applied; a running check stops at its next step.

    A check or apply that no process runs any more (its worker died; interrupted or not yet
    swept) ends at once, with its staging table and upload.
    """
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
        user=user,
        action=AuditAction.IMPORT,
        obj=member_import,
        detail="geannuleerd",
    )
    if not running:
        cancel_import(member_import)
    return member_import


def import_retry(*, member_import: MemberImport, user: User) -> MemberImport:
    """Start an interrupted import again: the check from the file, or the apply from the
    checked rows (the apply is one transaction: a dead one left nothing half-written)."""
    if member_import.status != ImportStatus.INTERRUPTED:
        raise ValidationError("Alleen een onderbroken import kan opnieuw worden gestart.")
    apply = member_import.interrupted_during == ImportStatus.APPLYING and staging_exists(
        member_import
    )
    if not apply and not has_file(member_import):
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
            user=user,
            action=AuditAction.IMPORT,
            obj=member_import,
            detail="opnieuw gestart (verwerken)" if apply else "opnieuw gestart (controleren)",
        )
        task = apply_member_import if apply else validate_member_import
        task.delay_on_commit(member_import.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    member_import.refresh_from_db()
    return member_import


def correction_request_create(*, member: Member, text: str) -> CorrectionRequest:
    """Store a member's correction request and tell the admins."""
    text = text.strip()
    if not text:
        raise ValidationError("Schrijf wat er anders moet.")
    with transaction.atomic():
        correction = CorrectionRequest(member=member, text=text)
        correction.full_clean()
        correction.save()
        audit_log(
            user=member.user,
            action=AuditAction.CREATE,
            obj=correction,
            subject_member_id=member.pk,
        )
    admins = list(User.objects.filter(role="admin", is_active=True).values_list("email", flat=True))
    link = settings.SITE_URL + reverse(
        "admin:members_correctionrequest_change", args=[correction.pk]
    )
    # The request text stays in the portal: mail may travel unencrypted.
    context = {"member_number": member.member_number, "link": link}
    if admins:
        send_templated_mail("members/mail/correction_request", context, admins)
    else:
        message = templated_message("members/mail/correction_request", context, [])
        mail_admins(message.subject, message.body)
    return correction


def member_account_create(*, member: Member, password: str) -> User:
    """Activation: a member account (role member, email verified) linked to the member."""
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
            user=user,
            action=AuditAction.CREATE,
            obj=user,
            subject_member_id=member.pk,
            detail="account geactiveerd",
        )
    return user


def activation_link_send(*, member: Member) -> None:
    """Mail the member a link to activate an account (after the transaction, in the background)."""
    transaction.on_commit(lambda: send_activation_mail.delay(member.pk))
    audit_log(
        action=AuditAction.CHANGE,
        obj=member,
        subject_member_id=member.pk,
        detail="activatielink gevraagd",
    )
