"""django-import-export in the admin, with the import rules of members/importing.py."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member, MemberImport
from tests.conftest import login
from tests.members.helpers import SAMPLES

pytestmark = pytest.mark.django_db


def preview(client, name: str, content: bytes, mode: str = "strict"):
    return client.post(
        reverse("admin:members_member_import"),
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": "0",
            "resource": "0",
            "mode": mode,
        },
    )


def confirm(client, response):
    html = response.content.decode()
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', html))
    data = {
        key: fields[key]
        for key in ("import_file_name", "original_file_name", "format", "resource", "mode")
        if key in fields
    }
    data["csrfmiddlewaretoken"] = fields.get("csrfmiddlewaretoken", "")
    return client.post(reverse("admin:members_member_process_import"), data)


def test_a_semicolon_cp1252_file_is_previewed_then_imported(client, cast):
    login(client, cast.admin)
    response = preview(client, "leden.csv", (SAMPLES / "leden-excel-puntkomma.csv").read_bytes())
    assert response.status_code == 200
    assert not Member.objects.filter(member_number="1100001").exists()  # a preview only
    confirm(client, response)
    marielle = Member.objects.get(member_number="1100002")
    assert marielle.street == "Lange; Nieuwstraat" and marielle.first_name == "Mariëlle"
    record = MemberImport.objects.get(source="admin")
    assert (record.created, record.created_by) == (4, cast.admin)


def test_the_same_file_again_skips_every_row(client, cast):
    login(client, cast.admin)
    content = (SAMPLES / "leden-utf8-bom-komma.csv").read_bytes()
    confirm(client, preview(client, "leden.csv", content))
    before = dict(Member.objects.values_list("member_number", "updated_at"))
    confirm(client, preview(client, "leden.csv", content))
    assert dict(Member.objects.values_list("member_number", "updated_at")) == before
    assert MemberImport.objects.filter(source="admin").order_by("-pk").first().unchanged == 3


def test_rejected_rows_block_the_import_and_duplicates_reject_both(client, cast):
    login(client, cast.admin)
    response = preview(client, "fouten.csv", (SAMPLES / "leden-met-fouten.csv").read_bytes())
    html = response.content.decode()
    assert "31-02-1980" in html and "staat ook op regel 9" in html
    assert "process_import" not in html  # no confirm form
    assert not Member.objects.filter(member_number__startswith="13").exists()


def test_a_bad_file_gets_the_dutch_message(client, cast):
    login(client, cast.admin)
    response = preview(client, "x.csv", b"lidnummer;schoenmaat\r\n1000001;44\r\n")
    assert "Onbekende kolom: ‘schoenmaat’" in response.content.decode()
    assert not Member.objects.filter(member_number="1000001").exists()


def test_the_valid_rows_mode_skips_rejected_rows_and_records_them(client, cast):
    login(client, cast.admin)
    content = (SAMPLES / "leden-met-fouten.csv").read_bytes()
    response = preview(client, "fouten.csv", content, mode="valid-rows")
    html = response.content.decode()
    assert "8 rij(en) afgewezen en overgeslagen" in html and "process_import" in html
    confirm(client, response)
    imported = Member.objects.filter(member_number__startswith="130")
    assert list(imported.values_list("member_number", flat=True)) == ["1300009"]
    record = MemberImport.objects.get(source="admin")
    assert (record.mode, record.created, record.rejected, record.unchanged) == (
        "valid-rows",
        1,
        8,
        0,
    )
    assert record.errors.filter(line=2, column="geboortedatum").exists()
    assert record.errors.values("line").distinct().count() == 8


def test_the_import_page_lists_the_file_columns_in_dutch(client, cast):
    login(client, cast.admin)
    html = client.get(reverse("admin:members_member_import")).content.decode()
    assert "lidnummer, voorletters, voornaam, tussenvoegsel, achternaam" in html
    assert "Alles of niets" in html and "Alleen de goede rijen" in html


def uploads(tmp_path) -> list[str]:
    """The admin's uploads waiting in the file store (every web machine reaches them)."""
    from django.core.files.storage import default_storage

    return default_storage.listdir("member-imports")[1]


def test_the_upload_waits_beside_the_portal_uploads_and_goes_when_confirmed(
    client, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(client, cast.admin)
    response = preview(client, "leden.xlsx", (SAMPLES / "leden.xlsx").read_bytes())
    waiting = uploads(tmp_path)
    assert len(waiting) == 1 and waiting[0].endswith(".upload")  # in the store, swept hourly
    confirm(client, response)
    assert uploads(tmp_path) == []


@pytest.mark.parametrize(
    "content",
    [
        (SAMPLES / "leden-met-fouten.csv").read_bytes(),  # rejected rows: no confirm step
        b"lidnummer;schoenmaat\r\n1000001;44\r\n",  # refused file
    ],
)
def test_a_preview_that_cannot_be_confirmed_removes_the_upload_at_once(
    client, cast, settings, tmp_path, content
):
    settings.MEDIA_ROOT = tmp_path
    login(client, cast.admin)
    response = preview(client, "leden.csv", content)
    assert "process_import" not in response.content.decode()
    assert uploads(tmp_path) == []


def test_a_forged_file_name_on_confirm_is_refused(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    secret = tmp_path / "geheim.csv"
    secret.write_text("lidnummer;achternaam\r\n1000001;Geheim\r\n")
    login(client, cast.admin)
    response = client.post(
        reverse("admin:members_member_process_import"),
        {
            "import_file_name": "../geheim.csv",
            "original_file_name": "x.csv",
            "format": "0",
            "resource": "0",
            "mode": "strict",
        },
    )
    assert response.status_code == 400
    assert secret.exists() and not Member.objects.filter(member_number="1000001").exists()


def test_a_long_reason_is_kept_within_the_report_column(client, cast):
    """Rejected rows go through the import's one error writer, which shortens long reasons."""
    login(client, cast.admin)
    content = f"lidnummer;achternaam;geboortedatum\r\n1000001;Smit;{'9' * 400}\r\n1000002;Bos;\r\n"
    confirm(client, preview(client, "lang.csv", content.encode(), mode="valid-rows"))
    record = MemberImport.objects.get(source="admin")
    assert record.rejected == 1 and len(record.errors.get(line=2).message) == 300
    assert Member.objects.filter(member_number="1000002").exists()
