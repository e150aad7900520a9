"""The member's own view of the audit trail: who looked at my record."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import AuditEntry
from core.access import role_required
from core.roles import Role


@role_required(Role.MEMBER)
def my_record_access(request: HttpRequest) -> HttpResponse:
    """Role and date of every access to the member's own data; staff names only where the
    policy setting FNV_SHOW_STAFF_NAMES_TO_MEMBERS allows it."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    entries = (
        AuditEntry.objects.filter(subject_member_id=member.pk)
        # audit sits below members and cannot name the user type @role_required guarantees.
        .exclude(actor=request.user)  # type: ignore[misc]
        .select_related("actor")
        .order_by("-at")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/my_record_access.html",
        {"page": page, "show_names": settings.FNV_SHOW_STAFF_NAMES_TO_MEMBERS},
    )
