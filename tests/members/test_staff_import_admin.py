"""The staff import in the admin: django-import-export's preview, then confirm."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from members.models import User
from tests.conftest import login
from tests.members.helpers import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def preview(client, content: bytes, *, name: str = "medewerkers.csv", deactivate: bool = False):
    data = {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"}
    if deactivate:
        data["deactivate_missing"] = "on"
    return client.post(reverse("admin:members_user_import"), data)


def confirm(client, response):
    html = response.content.decode()
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', html))
    data = {
        key: fields[key]
        for key in (
            "import_file_name",
            "original_file_name",
            "format",
            "resource",
            "deactivate_missing",
        )
        if key in fields
    }
    data["csrfmiddlewaretoken"] = fields.get("csrfmiddlewaretoken", "")
    return client.post(reverse("admin:members_user_process_import"), data)


def test_the_admin_previews_the_sample_then_imports_it_and_invitations_go_out(
    client, cast, django_capture_on_commit_callbacks
):
    login(client, cast.admin)
    response = preview(client, (SAMPLES / "staff-example.csv").read_bytes())
    assert response.status_code == 200
    html = response.content.decode()
    assert "process_import" in html  # the confirm step
    assert "Dit bestand maakt 7 nieuwe account(s)" in html
    assert "Esmée Bakker" in html  # the preview shows the rows, cp1252 read as such
    assert not User.objects.filter(email="esmee.bakker@example.nl").exists()  # a preview only
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, response)
    assert done.status_code == 302
    assert User.objects.filter(email="esmee.bakker@example.nl", role="regional_official").exists()
    assert len(mail.outbox) == 7
    summary = AuditEntry.objects.get(action="import", object_type="members.user")
    assert summary.actor == cast.admin and "(beheer): 7 nieuw" in summary.detail

    # the same file again: every row unchanged, nothing written, no mail
    entries = AuditEntry.objects.exclude(action__in=["view", "list"]).count()
    again = preview(client, (SAMPLES / "staff-example.xlsx").read_bytes(), name="m.xlsx")
    assert "0 nieuwe account(s)" in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, again)
    assert len(mail.outbox) == 7
    assert AuditEntry.objects.exclude(action__in=["view", "list"]).count() == entries


def test_a_file_with_errors_names_them_and_offers_no_confirm(client, cast):
    login(client, cast.admin)
    content = (
        b"e-mailadres;naam;rol;regio's\r\n"
        b"goed@example.nl;Goed;trajectadviseur;AM13\r\n"
        b"fout@example.nl;Fout;Directeur;AM13\r\n"
        b"lid@example.nl;Het Lid;trajectadviseur;AM13\r\n"
    )
    response = preview(client, content)
    html = response.content.decode()
    assert "process_import" not in html
    assert "Regel 3, kolom ‘rol’: ‘Directeur’ is geen rol in het portaal" in html
    assert "Regel 4, kolom ‘e-mailadres’: lid@example.nl hoort bij het account van een lid" in html
    assert not User.objects.filter(email="goed@example.nl").exists()


def test_a_confirm_posted_for_a_file_with_errors_changes_nothing(client, cast):
    """No confirm form is offered; one forged from a good preview's fields and another
    upload's name still imports nothing when that file has errors."""
    login(client, cast.admin)
    good = preview(
        client, b"e-mailadres;naam;rol;regio's\r\ngoed@example.nl;Goed;adviseur;AM13\r\n"
    )
    html = good.content.decode()
    name = re.search(r'name="import_file_name"[^>]*value="([^"]*)"', html).group(1)
    # overwrite the stored upload with a bad file under the same name
    from members.admin_import import AdminUploadStorage

    AdminUploadStorage(name=name).save(
        b"e-mailadres;naam;rol;regio's\r\ngoed@example.nl;Goed;adviseur;AM13\r\nx;X;adviseur;AM13\r\n"
    )
    done = client.get(confirm(client, good)["Location"])
    assert "Niets geïmporteerd: het bestand heeft 1 fout(en)" in done.content.decode()
    assert not User.objects.filter(email="goed@example.nl").exists()


def test_the_preview_counts_who_would_be_deactivated_first(
    client, cast, django_capture_on_commit_callbacks
):
    login(client, cast.admin)
    content = b"e-mailadres;naam;rol;regio's\r\nnieuw@example.nl;Nieuw;trajectadviseur;AM13\r\n"
    response = preview(client, content)
    html = response.content.decode()
    assert "1 account(s) met een rol en werkgebied uit dit bestand staan er niet in" in html
    assert "adviseur@example.nl" in html and "ze blijven actief" in html

    response = preview(client, content, deactivate=True)
    html = response.content.decode()
    assert "ze worden gedeactiveerd (niet verwijderd)" in html
    assert User.objects.get(email="adviseur@example.nl").is_active  # still a preview
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)
    adviser = User.objects.get(email="adviseur@example.nl")
    assert not adviser.is_active
    assert User.objects.get(email="anderadviseur@example.nl").is_active


def test_a_refused_file_gets_the_dutch_message_on_the_upload_field(client, cast):
    login(client, cast.admin)
    response = preview(client, b"e-mailadres;naam\r\na@example.nl;A\r\n")
    assert "Verplichte kolom ontbreekt: ‘rol’" in response.content.decode()


def test_only_admins_may_import_staff(client, cast):
    login(client, cast.coordinator)
    assert client.get(reverse("admin:members_user_import")).status_code in (302, 403, 404)
    client.logout()
    login(client, cast.admin)
    page = client.get(reverse("admin:members_user_import"))
    assert page.status_code == 200
    assert "Accounts die niet in het bestand staan deactiveren" in page.content.decode()
