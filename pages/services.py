"""Every write of the information pages: a saved change is a new version, a restore too."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.roles import Role
from members.models import User
from pages.models import Page, PageVersion

MAX_TEXT_LENGTH = 30_000


def _require_admin(user: User) -> None:
    if user.role != Role.ADMIN or not user.is_active:
        raise ValidationError(_("Alleen beheerders kunnen informatiepagina's wijzigen."))


def _next_number(page: Page) -> int:
    latest = page.versions.aggregate(latest=Max("number"))["latest"]
    return (latest or 0) + 1


def _new_version(
    *, page: Page, by: User, title: str, summary: str, text: str, note: str
) -> PageVersion:
    """Write the content as the page's newest version and onto the page itself."""
    version = PageVersion(
        page=page,
        number=_next_number(page),
        title=title,
        summary=summary,
        text=text,
        author=by,
        note=note,
    )
    version.full_clean()
    version.save()
    page.title, page.summary, page.text = title, summary, text
    page.full_clean()
    page.save(update_fields=["title", "summary", "text", "updated_at"])
    return version


def page_save(
    *, page: Page, by: User, title: str, summary: str, text: str, note: str = ""
) -> PageVersion:
    """Save an edit of a page as its next version. Nothing changed: refused, nothing written."""
    _require_admin(by)
    title, summary, note = title.strip(), summary.strip(), note.strip()
    if not title:
        raise ValidationError({"title": _("Geef de pagina een titel.")})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            {
                "text": _("De tekst is te lang: maak hem korter dan %(max)s tekens.")
                % {"max": MAX_TEXT_LENGTH}
            }
        )
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        if (title, summary, text) == (page.title, page.summary, page.text):
            raise ValidationError(_("Er is niets veranderd: er is geen nieuwe versie opgeslagen."))
        version = _new_version(page=page, by=by, title=title, summary=summary, text=text, note=note)
        audit_log(user=by, action=AuditAction.CHANGE, obj=page, detail=f"versie {version.number}")
    return version


def page_restore(*, page: Page, version: PageVersion, by: User) -> PageVersion:
    """Put an old version back as the newest one: history is never rewritten."""
    _require_admin(by)
    if version.page_id != page.pk:
        raise ValidationError(_("Deze versie hoort niet bij deze pagina."))
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        if (version.title, version.summary, version.text) == (page.title, page.summary, page.text):
            raise ValidationError(
                _("Versie %(number)s is gelijk aan de huidige tekst: er is niets teruggezet.")
                % {"number": version.number}
            )
        restored = _new_version(
            page=page,
            by=by,
            title=version.title,
            summary=version.summary,
            text=version.text,
            note=_("Versie %(number)s teruggezet") % {"number": version.number},
        )
        audit_log(
            user=by,
            action=AuditAction.CHANGE,
            obj=page,
            detail=f"versie {version.number} teruggezet als versie {restored.number}",
        )
    return restored
