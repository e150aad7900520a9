"""Erasure on request: no trace of the member's personal data remains in any table."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audit.models import AuditEntry
from members.erasure import member_erase
from members.models import ErasedMember, Member

pytestmark = pytest.mark.django_db


def _tables_containing(value: str) -> list[str]:
    """Every text, varchar and json column of every table, searched for the value."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')"""
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1', [f"%{value}%"]
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def test_after_erasure_no_trace_of_name_email_phone_or_address_remains(cast):
    member = cast.member
    member.first_name, member.last_name = "Quirijntje", "Qwaadvliet-Quist"
    member.email, member.phone = "q.qwaadvliet@voorbeeld.nl", "06-98765432"
    member.street, member.house_number, member.city = "Korenbloemdreefje", "77b", "Bunnik"
    member.save()
    cast.member_user.email = member.email
    cast.member_user.save()
    traces = [
        "Quirijntje",
        "Qwaadvliet",
        "q.qwaadvliet@voorbeeld.nl",
        "98765432",
        "Korenbloemdreefje",
    ]
    assert all(_tables_containing(value) for value in traces)  # the search does find them

    member_erase(member=member, actor=cast.admin)

    for value in traces:
        assert _tables_containing(value) == [], value


def test_counts_by_region_sector_and_status_stay_right(cast):
    before = Member.objects.filter(region=cast.region, sector=cast.sector, status="active").count()
    member_erase(member=cast.member, actor=cast.admin)
    assert (
        Member.objects.filter(region=cast.region, sector=cast.sector, status="active").count()
        == before
    )


def test_an_erased_member_is_remembered_only_as_a_hash(cast):
    number = cast.member.member_number
    member_erase(member=cast.member, actor=cast.admin)
    assert ErasedMember.is_erased(number)
    assert not ErasedMember.is_erased(cast.other_member.member_number)
    assert number not in ErasedMember.objects.get().number_hash


def test_erasure_is_logged_and_cannot_run_twice(cast):
    member_erase(member=cast.member, actor=cast.admin)
    assert AuditEntry.objects.filter(action="erase", subject_member_id=cast.member.pk).count() == 1
    with pytest.raises(ValidationError):
        member_erase(member=cast.member, actor=cast.admin)


def test_erasure_reaches_sessions_appointments_and_trajectories(cast):
    from loopbaan.models import Appointment
    from signals.models import Consent
    from tests.factories import UserFactory
    from tests.loopbaan.helpers import make_appointment
    from tests.signals.helpers import log_session
    from tests.trajectories.factories import trajectory
    from trajectories.models import ProgressNote

    session = log_session(
        cast, member=cast.member, consent=True, summary="Qwaadvliet vertelde over haar ontslag"
    )
    partner = UserFactory(role="consultant")
    appointment = make_appointment(
        cast.member, [cast.consultant, partner], cast.union_house, question="Qwaadvliet zoekt werk"
    )
    route = trajectory(adviser=cast.adviser, member=cast.member)
    ProgressNote.objects.create(
        trajectory=route, author=cast.adviser, text="Gesprek met Qwaadvliet"
    )

    member_erase(member=cast.member, actor=cast.admin)

    session.refresh_from_db()
    assert session.summary == "" and session.member is None and session.is_member
    assert not Consent.objects.filter(session=session, withdrawn_at__isnull=True).exists()
    assert Appointment.objects.get(pk=appointment.pk).question == ""
    assert not ProgressNote.objects.filter(trajectory=route).exists()
    assert _tables_containing("Qwaadvliet") == []


def test_an_admin_erases_a_member_after_typing_the_member_number(client, cast):
    from django.urls import reverse

    from tests.conftest import login

    login(client, cast.admin)
    url = reverse("members:erase", args=[cast.other_member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirm_number": "0000000"})
    assert response.status_code == 400
    assert "niets gewist" in response.content.decode()
    cast.other_member.refresh_from_db()
    assert cast.other_member.erased_at is None
    number = cast.other_member.member_number
    response = client.post(url, {"confirm_number": number})
    assert response.status_code == 302
    cast.other_member.refresh_from_db()
    assert cast.other_member.erased_at is not None
    assert ErasedMember.is_erased(number)
    assert client.get(url).status_code == 404  # nothing left to erase


def test_an_erased_member_is_not_brought_back_by_the_next_import(cast, tmp_path):
    from members.erasure import member_erase as erase

    number = cast.other_member.member_number
    erase(member=cast.other_member, actor=cast.admin)
    from django.core.management import call_command

    path = tmp_path / "leden.csv"
    path.write_text(f"lidnummer;achternaam\n{number};Teruggekeerd\n", encoding="utf-8")
    call_command("import_members", str(path), "--mode", "valid-rows")
    assert not Member.objects.filter(member_number=number).exists()
    assert not Member.objects.filter(last_name="Teruggekeerd").exists()
