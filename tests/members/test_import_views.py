"""The portal import pages: upload → preview → confirm → background apply → report."""

from __future__ import annotations

import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from core.roles import Role
from members.importing.status import abandon_stale_imports
from members.models import ImportStatus, Member, MemberImport
from tests.conftest import login
from tests.members.helpers import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, name: str, content: bytes, mode: str = "strict", capture=None):
    with capture(execute=True):
        return client.post(
            reverse("members:import_list"),
            {"file": SimpleUploadedFile(name, content), "mode": mode},
        )


def test_an_admin_uploads_previews_confirms_and_sees_the_report(
    client, cast, django_capture_on_commit_callbacks
):
    login(client, cast.admin)
    content = (SAMPLES / "leden-utf8-bom-komma.csv").read_bytes()
    response = upload(client, "leden.csv", content, capture=django_capture_on_commit_callbacks)
    member_import = MemberImport.objects.get()
    assert response.status_code == 302
    assert member_import.status == ImportStatus.PREVIEWED
    assert member_import.created_by == cast.admin
    page = client.get(reverse("members:import_detail", kwargs={"pk": member_import.pk}))
    assert "Voorvertoning" in page.content.decode()
    assert not Member.objects.filter(member_number="1200001").exists()  # preview changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", kwargs={"pk": member_import.pk}))
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.DONE and member_import.created == 3
    assert not os.path.exists(member_import.file_path or "/nonexistent")
    assert member_import.file_path == "" and member_import.stored_name == ""
    assert not default_storage.listdir("member-imports")[1]  # gone from the store too
    report = client.get(reverse("members:import_detail", kwargs={"pk": member_import.pk}))
    assert "Rapport" in report.content.decode()
    assert AuditEntry.objects.filter(action="import", object_id=str(member_import.pk)).exists()


def test_the_progress_fragment_polls_while_running_and_reloads_when_done(client, cast):
    login(client, cast.admin)
    running = MemberImport.objects.create(
        created_by=cast.admin,
        file_name="x.csv",
        status=ImportStatus.VALIDATING,
        file_size=100,
        bytes_done=40,
    )
    fragment = client.get(reverse("members:import_progress", kwargs={"pk": running.pk}))
    html = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html
    assert "Pagina verversen" in html  # works without JavaScript
    running.status = ImportStatus.DONE
    running.save()
    done = client.get(
        reverse("members:import_progress", kwargs={"pk": running.pk}), HTTP_HX_REQUEST="true"
    )
    assert done["HX-Redirect"] == reverse("members:import_detail", kwargs={"pk": running.pk})


def test_a_rejected_file_shows_the_rows_and_offers_them_as_csv(
    client, cast, django_capture_on_commit_callbacks
):
    login(client, cast.admin)
    content = (SAMPLES / "leden-met-fouten.csv").read_bytes()
    upload(client, "fouten.csv", content, capture=django_capture_on_commit_callbacks)
    member_import = MemberImport.objects.get()
    page = client.get(reverse("members:import_detail", kwargs={"pk": member_import.pk}))
    html = page.content.decode()
    assert "In de gekozen manier wordt dan niets verwerkt" in html
    assert "Bevestigen en verwerken" not in html
    response = client.get(reverse("members:import_rejected_csv", kwargs={"pk": member_import.pk}))
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeffregel;kolom;reden")
    assert "2;geboortedatum;‘31-02-1980’ is geen bestaande datum." in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", kwargs={"pk": member_import.pk}))
    assert not Member.objects.filter(member_number__startswith="1").exists()


def test_cancel_asks_for_confirmation_then_removes_the_file(
    client, cast, django_capture_on_commit_callbacks
):
    login(client, cast.admin)
    upload(
        client,
        "leden.xlsx",
        (SAMPLES / "leden.xlsx").read_bytes(),
        capture=django_capture_on_commit_callbacks,
    )
    member_import = MemberImport.objects.get()
    path, stored = member_import.file_path, member_import.stored_name
    assert os.path.exists(path)  # the check's working copy
    assert default_storage.exists(stored)  # the upload in the store
    url = reverse("members:import_cancel", kwargs={"pk": member_import.pk})
    assert "Ja, annuleren" in client.get(url).content.decode()
    client.post(url)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED
    assert not os.path.exists(path) and not default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", kwargs={"pk": member_import.pk}))
    assert not Member.objects.filter(member_number__startswith="1").exists()


def test_an_oversized_upload_is_refused_before_it_is_stored(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.FNV = {**settings.FNV, "IMPORT_MAX_BYTES": 1000}
    login(client, cast.admin)
    response = upload(
        client,
        "groot.csv",
        b"lidnummer;achternaam\r\n" + b"1000001;A\r\n" * 500,
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "te groot" in response.content.decode()
    assert not MemberImport.objects.exists()


def test_abandoned_imports_lose_their_file(client, cast, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    login(client, cast.admin)
    upload(
        client,
        "leden.xlsx",
        (SAMPLES / "leden.xlsx").read_bytes(),
        capture=django_capture_on_commit_callbacks,
    )
    member_import = MemberImport.objects.get()
    path, stored = member_import.file_path, member_import.stored_name
    assert abandon_stale_imports() == 0
    assert abandon_stale_imports(now=timezone.now() + timedelta(days=2)) == 1
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.ABANDONED and not os.path.exists(path)
    assert not default_storage.exists(stored)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_admins_reach_import_and_export(client, cast, role):
    user = cast.by_role()[role]
    login(client, user)
    assert client.get(reverse("members:import_list")).status_code == 404
    assert client.post(reverse("members:export")).status_code == 404
    member_import = MemberImport.objects.create(file_name="x.csv", status=ImportStatus.PREVIEWED)
    assert (
        client.post(reverse("members:import_confirm", kwargs={"pk": member_import.pk})).status_code
        == 404
    )
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.PREVIEWED
