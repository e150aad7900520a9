"""Admins edit the pages in the portal: preview without saving, versions, restore, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from pages.models import Page, PageVersion
from tests.conftest import login

SLUG = "loopbaan-fnv"


def _edit_url(slug: str = SLUG) -> str:
    return reverse("pages:edit", kwargs={"slug": slug})


def _form(page: Page, **changes) -> dict:
    data = {"title": page.title, "summary": page.summary, "text": page.text, "note": ""}
    data.update(changes)
    return data


@pytest.fixture
def page(db):
    return Page.objects.get(slug=SLUG)


def test_the_admin_sees_the_form_with_the_current_text(cast, client, page):
    login(client, cast.admin)
    body = client.get(_edit_url()).content.decode()
    assert 'name="text"' in body and "Maak een loopbaanafspraak" in body
    assert 'name="preview"' in body and "Voorbeeld" in body


def test_the_preview_renders_the_sanitised_text_and_saves_nothing(cast, client, page):
    login(client, cast.admin)
    before = (page.title, page.summary, page.text)
    response = client.post(
        _edit_url(),
        {**_form(page, text="## Nieuw kopje\n\n**vet** <script>alert(1)</script>"), "preview": "1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Voorbeeld (nog niet opgeslagen)" in body
    assert "<strong>vet</strong>" in body and "<h3>Nieuw kopje</h3>" in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    page.refresh_from_db()
    assert (page.title, page.summary, page.text) == before
    assert page.versions.count() == 1
    assert not AuditEntry.objects.filter(object_type="pages.page").exists()


def test_saving_makes_the_next_version_and_writes_the_audit_trail(cast, client, page):
    login(client, cast.admin)
    response = client.post(
        _edit_url(), {**_form(page, text="Nieuwe tekst.", note="Korter gemaakt"), "save": "1"}
    )
    assert response.status_code == 302 and response["Location"] == page.get_absolute_url()
    page.refresh_from_db()
    assert page.text == "Nieuwe tekst."
    latest = page.versions.first()
    assert (latest.number, latest.author, latest.note, latest.text) == (
        2,
        cast.admin,
        "Korter gemaakt",
        "Nieuwe tekst.",
    )
    entry = AuditEntry.objects.get(object_type="pages.page", object_id=str(page.pk))
    assert (entry.actor, entry.action, entry.detail) == (cast.admin, "change", "versie 2")
    public = client.get(page.get_absolute_url()).content.decode()
    assert "Nieuwe tekst." in public


def test_saving_without_a_change_is_refused_with_a_clear_message(cast, client, page):
    login(client, cast.admin)
    response = client.post(_edit_url(), {**_form(page), "save": "1"})
    assert response.status_code == 200
    assert "Er is niets veranderd" in response.content.decode()
    assert page.versions.count() == 1


def test_an_empty_title_is_refused_at_the_field_and_nothing_changes(cast, client, page):
    login(client, cast.admin)
    response = client.post(_edit_url(), {**_form(page, title="  ", text="Ander"), "save": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body and "errorlist" in body
    page.refresh_from_db()
    assert page.text != "Ander" and page.versions.count() == 1


def test_hostile_text_is_saved_as_typed_but_never_served_as_html(cast, client, page):
    login(client, cast.admin)
    hostile = "[klik](javascript:alert(1)) ![x](https://elders.example/p.png) <img src=x onerror=alert(1)>"
    client.post(_edit_url(), {**_form(page, text=hostile), "save": "1"})
    page.refresh_from_db()
    assert page.text == hostile
    client.logout()
    body = client.get(page.get_absolute_url()).content.decode()
    assert "javascript:" not in body and "elders.example/p.png" not in body
    assert "<img" not in body.split('class="page-text"')[1]


def test_restoring_an_old_version_makes_it_the_newest(cast, client, page):
    login(client, cast.admin)
    original = page.text
    client.post(_edit_url(), {**_form(page, text="Tweede tekst."), "save": "1"})
    response = client.post(reverse("pages:restore", kwargs={"slug": SLUG, "number": 1}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.text == original
    numbers = list(page.versions.values_list("number", "note"))
    assert numbers == [(3, "Versie 1 teruggezet"), (2, ""), (1, "Eerste versie")]
    assert AuditEntry.objects.filter(
        object_type="pages.page", detail="versie 1 teruggezet als versie 3"
    ).exists()


def test_restoring_the_current_text_changes_nothing(cast, client, page):
    login(client, cast.admin)
    response = client.post(
        reverse("pages:restore", kwargs={"slug": SLUG, "number": 1}), follow=True
    )
    assert "gelijk aan de huidige tekst" in response.content.decode()
    assert page.versions.count() == 1


def test_restore_is_post_only(cast, client, page):
    login(client, cast.admin)
    client.post(_edit_url(), {**_form(page, text="Tweede tekst."), "save": "1"})
    response = client.get(reverse("pages:restore", kwargs={"slug": SLUG, "number": 1}))
    assert response.status_code == 405
    page.refresh_from_db()
    assert page.text == "Tweede tekst."


def test_the_versions_page_lists_who_saved_what(cast, client, page):
    login(client, cast.admin)
    client.post(_edit_url(), {**_form(page, text="Tweede tekst.", note="Kort"), "save": "1"})
    body = client.get(reverse("pages:versions", kwargs={"slug": SLUG})).content.decode()
    assert "Versie 2" in body and "Versie 1" in body and "Kort" in body
    assert str(cast.admin) in body
    old = client.get(reverse("pages:version", kwargs={"slug": SLUG, "number": 1}))
    assert "Maak een loopbaanafspraak" in old.content.decode()


@pytest.mark.parametrize("role", ["member_user", "consultant", "coordinator", "regional_official"])
def test_no_one_but_an_admin_can_edit_or_restore(cast, client, page, role):
    login(client, getattr(cast, role))
    assert client.get(_edit_url()).status_code == 404
    response = client.post(_edit_url(), {**_form(page, text="Gekaapt"), "save": "1"})
    assert response.status_code == 404
    restore = reverse("pages:restore", kwargs={"slug": SLUG, "number": 1})
    assert client.post(restore).status_code == 404
    page.refresh_from_db()
    assert page.text != "Gekaapt" and page.versions.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(client, page):
    response = client.post(_edit_url(), {**_form(page, text="Gekaapt"), "save": "1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    page.refresh_from_db()
    assert page.text != "Gekaapt"


def test_the_service_refuses_a_non_admin_even_when_called_directly(cast, page):
    from django.core.exceptions import ValidationError

    from pages import services

    with pytest.raises(ValidationError):
        services.page_save(
            page=page, by=cast.coordinator, title="x", summary="y", text="z", note=""
        )
    assert PageVersion.objects.filter(page=page).count() == 1


@pytest.mark.parametrize(
    "hostile",
    [{"text": "a\x00b"}, {"text": "x" * 100_000}, {"title": "x" * 500}, {"summary": ""}],
)
def test_hostile_values_are_refused_at_the_field_and_change_nothing(cast, client, page, hostile):
    login(client, cast.admin)
    for button in ("preview", "save"):
        response = client.post(_edit_url(), {**_form(page), **hostile, button: "1"})
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.content.decode()
    page.refresh_from_db()
    assert page.versions.count() == 1 and "\x00" not in page.text
