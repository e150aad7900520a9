"""Views of the members app: the member import and export (admins), and members' own data."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_log
from core.access import get_visible_or_404, role_required
from core.roles import Role
from members import services
from members.datadownload import member_data, section_titles
from members.erasure import member_erase
from members.exporting import export_rows
from members.forms import (
    ActivationForm,
    CorrectionForm,
    EraseConfirmForm,
    ImportUploadForm,
    SetPasswordForm,
)
from members.importing import (
    can_apply,
    import_is_running,
    max_bytes,
    rejected_rows_csv,
    too_large_message,
)
from members.models import ImportStatus, Member, MemberImport
from members.tokens import activation_payload
from members.uploads import LimitedUploadHandler

POLLING_STATUSES = {
    ImportStatus.UPLOADED,
    ImportStatus.VALIDATING,
    ImportStatus.QUEUED,
    ImportStatus.APPLYING,
}


# --- Import (admins) -----------------------------------------------------------------------


@csrf_exempt  # the upload handler must be set before the body is read; csrf_protect below
@role_required(Role.ADMIN)
def import_list(request: HttpRequest) -> HttpResponse:
    handler = LimitedUploadHandler(max_bytes(), request)
    request.upload_handlers.insert(0, handler)
    return _import_list(request, handler)


@csrf_protect
def _import_list(request: HttpRequest, handler: LimitedUploadHandler) -> HttpResponse:
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if handler.exceeded:
            form.add_error("file", too_large_message(int(request.META.get("CONTENT_LENGTH") or 0)))
        elif form.is_valid():
            try:
                member_import = services.import_upload(
                    user=request.user,
                    uploaded=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("members:import_detail", pk=member_import.pk)
    imports = MemberImport.objects.visible_to(request.user).select_related("created_by")[:25]
    audit_log(request=request, action=AuditAction.LIST, object_type="members.memberimport")
    return render(
        request,
        "members/import_list.html",
        {"form": form, "imports": imports, "max_mb": max_bytes() // (1024 * 1024)},
        status=400 if form.errors else 200,
    )


def _import_context(request: HttpRequest, member_import: MemberImport) -> dict:
    return {
        "import": member_import,
        "polling": member_import.status in POLLING_STATUSES,
        "can_cancel": not member_import.is_finished
        and not (
            member_import.status == ImportStatus.APPLYING and import_is_running(member_import)
        ),
        "can_retry": member_import.status == ImportStatus.INTERRUPTED,
        "apply_blocked": can_apply(member_import)
        if member_import.status == ImportStatus.PREVIEWED
        else "",
        "errors": member_import.errors.all()[:50],
    }


@role_required(Role.ADMIN)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member_import = get_visible_or_404(MemberImport.objects, request.user, pk=pk)
    audit_log(request=request, action=AuditAction.VIEW, obj=member_import)
    return render(request, "members/import_detail.html", _import_context(request, member_import))


@role_required(Role.ADMIN)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that htmx polls every second; a finished step reloads the page."""
    member_import = get_visible_or_404(MemberImport.objects, request.user, pk=pk)
    if request.headers.get("HX-Request") and member_import.status not in POLLING_STATUSES:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("members:import_detail", kwargs={"pk": pk})
        return response
    return render(request, "members/_import_progress.html", _import_context(request, member_import))


@role_required(Role.ADMIN)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    member_import = get_visible_or_404(MemberImport.objects, request.user, pk=pk)
    try:
        services.import_confirm(member_import=member_import, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("members:import_detail", pk=pk)


@role_required(Role.ADMIN)
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (works without JavaScript); POST cancels."""
    member_import = get_visible_or_404(MemberImport.objects, request.user, pk=pk)
    if request.method == "POST":
        try:
            services.import_cancel(member_import=member_import, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De import is geannuleerd; er is niets verwerkt."))
        return redirect("members:import_detail", pk=pk)
    return render(request, "members/import_cancel.html", {"import": member_import})


@role_required(Role.ADMIN)
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an interrupted import again (its check, or its apply)."""
    member_import = get_visible_or_404(MemberImport.objects, request.user, pk=pk)
    try:
        services.import_retry(member_import=member_import, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De import is opnieuw gestart."))
    return redirect("members:import_detail", pk=pk)


@role_required(Role.ADMIN)
def import_rejected_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    member_import = get_visible_or_404(MemberImport.objects, request.user, pk=pk)
    audit_log(
        request=request, action=AuditAction.EXPORT, obj=member_import, detail="afgewezen rijen"
    )
    response = StreamingHttpResponse(
        rejected_rows_csv(member_import), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="afgewezen-rijen-import-{member_import.pk}.csv"'
    )
    return response


@role_required(Role.ADMIN)
def member_export(request: HttpRequest) -> HttpResponse:
    """GET shows the page; POST streams all members as CSV (formula-safe), audit-logged."""
    queryset = Member.objects.visible_to(request.user)
    if request.method == "POST":
        audit_log(
            request=request,
            action=AuditAction.EXPORT,
            object_type="members.member",
            detail=f"CSV-export van {queryset.count()} leden",
        )
        response = StreamingHttpResponse(
            export_rows(queryset), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="leden-{stamp}.csv"'
        return response
    return render(request, "members/export.html", {"count": queryset.count()})


# --- Members' own access -------------------------------------------------------------------

# Activation is limited without letting strangers lock a member out:
# - per address: at most 10 attempts an hour, whatever the member number;
# - per member number *and* address: at most 5 failed attempts an hour.
# There is deliberately no limit per member number alone. Member numbers are sequential, so
# such a limit let anyone block any member's activation from a handful of addresses, and it
# protects nothing: the answer is the same whether or not the details match, and the link goes
# only to the email address on file, so guessing from many addresses learns nothing. The one
# thing a per-member count still guards is the member's mailbox: at most
# ACTIVATION_MAILS_PER_HOUR mails per member; the answer stays the same and the links already
# sent keep working, so the right person is never refused.
ACTIVATION_ADDRESS_LIMIT = (10, 3600)
ACTIVATION_FAILURE_LIMIT = (5, 3600)
ACTIVATION_MAILS_PER_HOUR = 3


def _activation_key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"members:activate:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return 1


def _rate_limited(request: HttpRequest, member_number: str) -> bool:
    """Count this attempt for the address; True once the address, or this address for this
    member number, has used up its tries (Django's cache)."""
    address = request.META.get("REMOTE_ADDR", "")
    limit, window = ACTIVATION_ADDRESS_LIMIT
    attempts = _count(_activation_key("ip", address), window)
    failures = cache.get(_activation_key("fail", member_number, address), 0)
    return attempts > limit or failures >= ACTIVATION_FAILURE_LIMIT[0]


def _record_failure(request: HttpRequest, member_number: str) -> None:
    address = request.META.get("REMOTE_ADDR", "")
    _count(_activation_key("fail", member_number, address), ACTIVATION_FAILURE_LIMIT[1])


def _mail_allowed(member: Member) -> bool:
    return _count(_activation_key("mail", str(member.pk)), 3600) <= ACTIVATION_MAILS_PER_HOUR


def member_activate(request: HttpRequest) -> HttpResponse:
    """Member number + postcode + birth date → a link to the email on file. Same answer always."""
    form = ActivationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _rate_limited(request, data["member_number"]):
            form.add_error(None, _("Te veel pogingen. Probeer het over een uur opnieuw."))
            return render(request, "members/activate.html", {"form": form}, status=429)
        member = (
            Member.objects.filter(
                member_number=data["member_number"],
                postcode=data["postcode"],
                birth_date=data["birth_date"],
                user__isnull=True,
            )
            .exclude(email="")
            .exclude(status="ended")
            .first()
        )
        if member is None:
            _record_failure(request, data["member_number"])
        elif _mail_allowed(member):
            services.activation_link_send(member=member)
        return render(request, "members/activate_sent.html")
    return render(request, "members/activate.html", {"form": form})


def member_activate_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = activation_payload(token)
    except signing.BadSignature:
        return render(request, "members/activate_invalid.html", status=400)
    member = Member.objects.filter(
        pk=payload.get("m"), member_number=payload.get("n"), user__isnull=True
    ).first()
    if member is None:
        return render(request, "members/activate_invalid.html", status=400)
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_account_create(member=member, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Je account is klaar. Log in met je e-mailadres."))
            return redirect("account_login")
    return render(request, "members/activate_password.html", {"form": form, "member": member})


def _own_member(request: HttpRequest) -> Member:
    member = Member.objects.visible_to(request.user).select_related(
        "region", "sector", "employer", "municipality"
    )
    member = member.first()
    if member is None:
        raise Http404
    return member


@role_required(Role.MEMBER)
def my_data(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    audit_log(request=request, action=AuditAction.VIEW, obj=member, subject_member_id=member.pk)
    return render(
        request,
        "members/my_data.html",
        {"member": member, "corrections": member.correction_requests.all()[:10]},
    )


@role_required(Role.MEMBER)
def my_correction(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.correction_request_create(member=member, text=form.cleaned_data["text"])
        messages.success(request, _("Je verzoek is verstuurd. Een beheerder neemt het op."))
        return redirect("members:my_data")
    return render(request, "members/correction.html", {"form": form, "member": member})


@role_required(Role.MEMBER)
def my_data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("json", "html"):
        raise Http404
    member = _own_member(request)
    data = member_data(member)
    audit_log(
        request=request,
        action=AuditAction.EXPORT,
        obj=member,
        subject_member_id=member.pk,
        detail=f"eigen gegevens ({fmt})",
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{stamp}.json"'
        return response
    titles = section_titles()
    sections = [(titles.get(key, key), rows) for key, rows in data.items()]
    html = render_to_string(
        "members/data_download.html",
        {"sections": sections, "member": member, "site_url": settings.SITE_URL, "today": stamp},
        request=request,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{stamp}.html"'
    return response


# --- Erasure on request (admins) --------------------------------------------------------------


@role_required(Role.ADMIN)
def member_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a member's personal data after the admin types the member number to confirm."""
    member = get_visible_or_404(Member.objects.filter(erased_at__isnull=True), request.user, pk=pk)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        report = member_erase(member=member, actor=request.user)
        messages.success(
            request,
            _("De persoonsgegevens van het lid zijn gewist (%(count)d onderdelen aangepast).")
            % {"count": sum(report.values())},
        )
        return redirect("admin:members_member_changelist")
    audit_log(request=request, action=AuditAction.VIEW, obj=member, subject_member_id=member.pk)
    return render(
        request,
        "members/erase_confirm.html",
        {"member": member, "form": form},
        status=400 if form.errors else 200,
    )
