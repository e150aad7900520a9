"""The member export: admins only, audit-logged, safe against formula injection."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from members.exporting import csv_line, safe_cell
from tests.conftest import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe_and_keeps_every_character(
    value, expected
):
    assert safe_cell(value) == expected
    assert safe_cell(value)[1:] == value


def test_ordinary_cells_are_left_alone():
    assert safe_cell("Jansen") == "Jansen"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(None) == ""
    assert csv_line(["a;b", "=1"]) == '"a;b";\'=1\r\n'


def test_the_export_escapes_member_fields_and_is_audit_logged(client, cast):
    MemberFactory(member_number="1000001", last_name='=HYPERLINK("x")', phone="+31612345678")
    login(client, cast.admin)
    response = client.post(reverse("members:export"))
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufefflidnummer;")
    assert "'=HYPERLINK" in body and ";'+31612345678;" in body
    assert AuditEntry.objects.filter(action="export", object_type="members.member").exists()


def test_imported_members_survive_an_export_and_reimport_unchanged(client, cast, tmp_path):
    from members.models import Member
    from tests.members.helpers import SAMPLES, run_import

    run_import(str(SAMPLES / "leden-utf8-bom-komma.csv"))
    login(client, cast.admin)
    body = b"".join(client.post(reverse("members:export")).streaming_content)
    path = tmp_path / "export.csv"
    path.write_bytes(body)
    imported = Member.objects.filter(member_number__startswith="12")
    before = dict(imported.values_list("member_number", "updated_at"))
    result = run_import(str(path))
    assert result.status == "done", result.message
    assert dict(imported.values_list("member_number", "updated_at")) == before
