"""The public information pages, and their editing by admins: a preview before saving, the
versions of a page, and putting an old version back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.markdown import render_markdown
from core.roles import Role
from members.http import AuthenticatedRequest
from pages import public, services
from pages.forms import PageForm
from pages.models import Page, PageVersion


def _render_page_text(text: str, *, top_heading: int = 2) -> SafeString:
    # On its own page the title is the h1 and the text's headings start at h2; inside a
    # section (the preview, an old version) they start at h3.
    return render_markdown(text, top_heading=top_heading)


# --- public -------------------------------------------------------------------------------


@require_GET
def page_index(request: HttpRequest) -> HttpResponse:
    """Every information page, with its summary."""
    return render(request, "pages/index.html", {"pages": Page.objects.all()})


@require_GET
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    context: dict[str, object] = {"page": page, "html": _render_page_text(page.text)}
    if page.shows_agenda:
        context.update(public.agenda_context())
    return render(request, "pages/page.html", context)


# --- admins -------------------------------------------------------------------------------


@require_GET
@role_required(Role.ADMIN)
def manage(request: AuthenticatedRequest) -> HttpResponse:
    """The pages with their latest change, for admins."""
    pages = Page.objects.annotate(version_count=Count("versions"))
    return render(request, "pages/manage.html", {"pages": pages})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def page_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Edit a page. "Voorbeeld" shows the sanitised text without saving; "Opslaan" saves it
    as the next version."""
    page = get_object_or_404(Page, slug=slug)
    preview = None
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = _render_page_text(data["text"], top_heading=3)
            else:
                try:
                    version = services.page_save(
                        page=page,
                        by=request.user,
                        title=data["title"],
                        summary=data["summary"],
                        text=data["text"],
                        note=data["note"],
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Opgeslagen als versie %(number)s.") % {"number": version.number},
                    )
                    return redirect(page)
    else:
        form = PageForm.for_page(page)
    return render(request, "pages/edit.html", {"page": page, "form": form, "preview": preview})


def _add_errors(form: PageForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@role_required(Role.ADMIN)
def page_versions(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    versions = page.versions.select_related("author")
    return render(request, "pages/versions.html", {"page": page, "versions": versions})


@require_GET
@role_required(Role.ADMIN)
def page_version(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    """An old version as it read, before putting it back."""
    page = get_object_or_404(Page, slug=slug)
    version = get_object_or_404(
        PageVersion.objects.select_related("author"), page=page, number=number
    )
    return render(
        request,
        "pages/version.html",
        {"page": page, "version": version, "html": _render_page_text(version.text, top_heading=3)},
    )


@require_POST
@role_required(Role.ADMIN)
def page_restore(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    version = get_object_or_404(PageVersion, page=page, number=number)
    try:
        restored = services.page_restore(page=page, version=version, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("pages:versions", slug=page.slug)
    messages.success(
        request,
        _("Versie %(old)s is teruggezet als versie %(new)s.")
        % {"old": version.number, "new": restored.number},
    )
    return redirect(page)
