"""The shared components (docs/DESIGN.md) exist and are used: one stylesheet on every page,
statuses as badges, the booking steps, breadcrumbs, icons that are hidden next to their text.

The contrast of the design tokens is tested in tests/test_design_tokens.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.referrals.helpers import make_referral

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = BASE_DIR / "templates"
APP_TEMPLATES = [*TEMPLATES.rglob("*.html"), *BASE_DIR.glob("*/templates/**/*.html")]

# Whole documents outside the portal's layout, on purpose.
STANDALONE = {
    "members/data_download.html": "the member's data as one file to keep: no links, no styles",
}
EXTENDS = re.compile(r"""\{%\s*extends\s+["']([^"']+)["']""")


def _name(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[len(parts) - parts[::-1].index("templates") :])


def test_every_page_template_reaches_the_shared_stylesheet():
    """A page is a template with a <html> element or one that extends another: following the
    `extends` chain from any page ends at a template that links static/css/site.css. (The
    Django admin's own layout and the e-mail templates are not pages of the portal's design.)"""
    by_name = {_name(path): path.read_text() for path in APP_TEMPLATES}
    pages = 0
    for name in by_name:
        if "/mail/" in name or name.startswith("admin/") or name in STANDALONE:
            continue
        chain = [name]
        while match := EXTENDS.search(by_name.get(chain[-1], "")):
            chain.append(match.group(1))
            assert len(chain) < 10, chain
        if chain[-1] not in by_name or chain[-1].startswith("admin/"):
            continue  # a Django or allauth template we do not override
        root = by_name[chain[-1]]
        if "<html" not in root:
            continue  # a fragment (include, HTMX partial)
        pages += 1
        assert "css/site.css" in root, f"{' -> '.join(chain)} does not load css/site.css"
    assert pages > 100


def test_icons_are_hidden_from_screen_readers_and_never_a_tab_stop():
    from core import icons

    for name in [*icons.PATHS, "unknown"]:
        svg = re.search(r"<svg[^>]*>", icons.icon(name)).group(0)
        assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    # Nowhere else an <svg class="icon"> of its own: one place (core/icons.py) to get this right.
    for path in APP_TEMPLATES:
        assert '<svg class="icon"' not in path.read_text(), path


def test_the_header_shows_icons_with_their_text(client, db):
    body = client.get(reverse("home")).content.decode()
    header = body[body.index('<header class="site-header">') : body.index("</header>")]
    assert header.count('<svg class="icon"') >= 3
    # Every icon in a link or button is followed by a word.
    for match in re.finditer(r"</svg>\s*([^<\s][^<]*)<", header):
        assert match.group(1).strip()
    assert not re.search(r"</svg>\s*</(a|button)>", header), "an icon without its text"


def test_statuses_are_badges_with_the_status_in_words(client, cast, login_as):
    make_referral(cast)
    client = login_as(cast.legal)
    body = client.get(reverse("referrals:inbox")).content.decode()
    assert '<span class="badge status-new">Nieuw</span>' in body


def test_every_status_value_has_a_badge_colour():
    """A new status value without a tone would show as a grey tag: name it in site.css."""
    from django.apps import apps
    from django.db import models

    css = (BASE_DIR / "static" / "css" / "site.css").read_text()
    missing = set()
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "status"), None)
        if isinstance(field, models.CharField) and field.choices:
            for value, _label in field.choices:
                if f".status-{value}" not in css:
                    missing.add(f"{model.__name__}.{value}")
    assert not missing, sorted(missing)


def test_the_status_badge_says_what_get_status_display_says_in_both_languages():
    """{% status_badge obj %} reads each model's labels once: for every model with a status
    and every value (and one no choice holds), in Dutch and in English, it draws the escaped
    label that the model's own get_status_display gives."""
    from django.apps import apps
    from django.db import models
    from django.template import Context, Template
    from django.utils import translation
    from django.utils.html import escape

    template = Template("{% status_badge obj %}")
    checked = 0
    for language in ("nl", "en"):
        with translation.override(language):
            for model in apps.get_models():
                field = next((f for f in model._meta.fields if f.name == "status"), None)
                if not (isinstance(field, models.CharField) and field.choices):
                    continue
                for value in [v for v, _label in field.flatchoices] + ["<onbekend>"]:
                    obj = model(status=value)
                    expected = (
                        f'<span class="badge status-{escape(value)}">'
                        f"{escape(obj.get_status_display())}</span>"
                    )
                    assert template.render(Context({"obj": obj})) == expected, (model, value)
                    checked += 1
    assert checked > 40
    with translation.override("en"):
        from signals.models import Signal

        assert ">Seen<" in template.render(Context({"obj": Signal(status="acknowledged")}))


def test_booking_shows_where_the_member_is_in_three_steps(cast, login_as):
    client = login_as(cast.member_user)
    body = client.get(reverse("loopbaan:book_place")).content.decode()
    steps = body[
        body.index('<ol class="steps"') : body.index("</ol>", body.index('<ol class="steps"'))
    ]
    assert 'aria-label="Stap 1 van 3"' in steps
    assert steps.count("<li") == 3
    assert re.search(r'<li class="" aria-current="step">Plek', steps)
    body = client.get(
        reverse("loopbaan:book_slots", kwargs={"place": str(cast.union_house.pk)})
    ).content.decode()
    assert 'aria-label="Stap 2 van 3"' in body
    assert re.search(r'class="step-done">Plek<span class="visually-hidden"> \(gedaan\)', body)
    assert re.search(r'aria-current="step">Tijdstip', body)


@pytest.mark.django_db
def test_an_information_page_has_breadcrumbs(client):
    from pages.models import Page

    page = Page.objects.filter(is_published=True).first() if hasattr(Page, "is_published") else None
    page = page or Page.objects.first()
    assert page is not None, "the information pages come with a migration"
    body = client.get(reverse("pages:page", kwargs={"slug": page.slug})).content.decode()
    assert '<nav class="breadcrumbs" aria-label="Kruimelpad">' in body
    assert f'<li><a href="{reverse("pages:index")}">Informatie en hulp</a></li>' in body
