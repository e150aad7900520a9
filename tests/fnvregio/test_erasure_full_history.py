"""Erasure of a member who really used the portal.

The first erasure test passed because its member had never done anything. This member has
logged in through the login page, looked at their data, asked for a correction, booked an
appointment, been seen at a consultation hour (with consent, later withdrawn), had a
trajectory that was reassigned and stopped, been edited by an admin in the Django admin, and
left audit entries as actor and as subject. After erasure no text, varchar, array or JSON
column in any table may hold the name, e-mail address, phone number or member number, and the
audit trail keeps every row.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from loopbaan.models import Appointment
from loopbaan.services import appointment_book, report_save
from members.models import ErasedMember, Member, User
from signals.models import Consent, ConsultationSession
from tests.conftest import login
from tests.factories import PASSWORD, UserFactory
from tests.loopbaan.helpers import consultant_at, next_weekday_at, slot
from tests.signals.helpers import log_session
from tests.trajectories.factories import trajectory
from trajectories import services as trajectory_services
from trajectories.models import OutcomeKind, Trajectory

pytestmark = pytest.mark.django_db

FIRST, LAST = "Quirijntje", "Qwaadvliet"
EMAIL = "q.qwaadvliet@voorbeeld.nl"
PHONE = "06-98765432"
NUMBER = "9182736"
TRACES = [FIRST, LAST, EMAIL, "98765432", NUMBER]


def tables_containing(value: str) -> list[str]:
    """Every text, varchar, array and JSON column of every table, searched for the value."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = 'public'
                 AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')"""
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1', [f"%{value}%"]
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def admin_edits(client, admin, member: Member) -> None:
    """The admin changes the member's phone number through the Django admin's change form."""
    login(client, admin)
    url = reverse("admin:members_member_change", args=[member.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    data["phone"] = PHONE
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response.context.get("adminform"), "errors", "")
    client.logout()


@pytest.fixture
def used_member(cast, client, django_capture_on_commit_callbacks):
    member = cast.member
    member.first_name, member.last_name = FIRST, LAST
    member.email, member.member_number = EMAIL, NUMBER
    member.street, member.house_number, member.city = "Korenbloemdreefje", "77b", "Bunnik"
    member.save()
    user = cast.member_user
    user.email, user.full_name = EMAIL, f"{FIRST} {LAST}"
    user.save()
    user.emailaddress_set.update(email=EMAIL)

    # Logs in through the real login page, looks at their data, asks for a correction.
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("members:my_data")).status_code == 200
    response = client.post(
        reverse("members:correction"),
        {"text": f"Mijn naam is {FIRST} {LAST}, nummer {NUMBER}, mail {EMAIL}"},
    )
    assert response.status_code == 302
    assert client.get(reverse("members:my_data_download", args=["json"])).status_code == 200

    # Books an appointment with a question that names them; the consultants write a report.
    pool = [consultant_at(cast.union_house, weekday=2, start=time(9), end=time(13)) for _ in "ab"]
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            member=member,
            slot=slot(cast.union_house, next_weekday_at(2, 10)),
            question=f"{FIRST} wil weten wat kan",
        )
    report_save(
        appointment=appointment,
        consultant=pool[0],
        career_question="training",
        referrals=[],
        notes=f"Gesprek met {FIRST} {LAST}",
        now=appointment.ends_at + dt.timedelta(minutes=5),
    )

    # A consultation session with consent, withdrawn by the member on their consents page.
    session = log_session(
        cast, member=member, consent=True, summary=f"{LAST} vertelde over ontslag", days_ago=2
    )
    consent = Consent.objects.get(session=session)
    assert client.post(reverse("signals:my_consent_withdraw", args=[consent.pk])).status_code == 302
    log_session(cast, member=member, consent=True, summary=f"Opnieuw {FIRST}", days_ago=1)

    # A trajectory: goals, a note, a shared summary, reassigned, then stopped with a reason.
    route = trajectory(adviser=cast.adviser, member=member)
    trajectory_services.goal_add(
        by=cast.adviser, plan=route.plan, description=f"{FIRST} maakt een cv", due_on=None
    )
    trajectory_services.plan_agree(by=cast.adviser, plan=route.plan)
    trajectory_services.note_add(by=cast.adviser, trajectory=route, text=f"Belde {LAST}")
    trajectory_services.summary_share(
        by=cast.adviser, trajectory=route, text=f"{FIRST}, je bent goed op weg"
    )
    other_adviser = UserFactory(role="adviser")
    other_adviser.regions.add(cast.region)
    trajectory_services.trajectory_reassign(
        by=cast.coordinator,
        trajectory=route,
        new_adviser=other_adviser,
        reason=f"{LAST} vroeg om een ander",
    )
    route.refresh_from_db()
    trajectory_services.trajectory_end(
        by=other_adviser,
        trajectory=route,
        stopped=True,
        stop_reason=f"{FIRST} {LAST} ({NUMBER}) is verhuisd",
        kind=OutcomeKind.NONE,
    )
    client.logout()

    # An admin edits the member in the Django admin (django_admin_log keeps the name).
    admin_edits(client, cast.admin, member)
    member.refresh_from_db()
    assert member.phone == PHONE
    return member


def test_a_member_with_a_full_history_is_erased_without_a_trace(cast, client, used_member):
    member = used_member
    user_id = cast.member_user.pk
    for value in TRACES:
        assert tables_containing(value), f"the history should hold {value!r} before erasure"
    assert LogEntry.objects.filter(object_id=str(member.pk)).exists()
    audit_rows = AuditEntry.objects.count()
    as_actor = AuditEntry.objects.filter(actor_id=user_id).count()
    as_subject = AuditEntry.objects.filter(subject_member_id=member.pk).count()
    assert as_actor >= 4 and as_subject >= 8

    login(client, cast.admin)
    response = client.post(reverse("members:erase", args=[member.pk]), {"confirm_number": NUMBER})
    assert response.status_code == 302

    for value in TRACES:
        assert tables_containing(value) == [], value
    # The audit trail keeps every row, plus the erasure's own; actor and subject are
    # pseudonyms now: the account is gone, the member row holds nothing personal.
    assert AuditEntry.objects.count() == audit_rows + 1
    assert AuditEntry.objects.filter(actor_id=user_id).count() == as_actor
    assert AuditEntry.objects.filter(subject_member_id=member.pk).count() == as_subject + 1
    assert not User.objects.filter(pk=user_id).exists()
    erased = Member.objects.get(pk=member.pk)
    assert erased.erased_at is not None and erased.user_id is None
    assert ErasedMember.is_erased(NUMBER)
    # The member's sessions end with the account.
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]


def test_counts_stay_right_after_erasing_a_member_with_a_full_history(cast, client, used_member):
    member = used_member
    before = {
        "members": Member.objects.filter(region=cast.region, sector=cast.sector).count(),
        "sessions": ConsultationSession.objects.filter(is_member=True).count(),
        "appointments": Appointment.objects.filter(region=cast.region).count(),
        "stopped": Trajectory.objects.filter(status="stopped").count(),
        "audit": AuditEntry.objects.filter(action="view").count(),
    }
    login(client, cast.admin)
    client.post(reverse("members:erase", args=[member.pk]), {"confirm_number": NUMBER})
    after = {
        "members": Member.objects.filter(region=cast.region, sector=cast.sector).count(),
        "sessions": ConsultationSession.objects.filter(is_member=True).count(),
        "appointments": Appointment.objects.filter(region=cast.region).count(),
        "stopped": Trajectory.objects.filter(status="stopped").count(),
        "audit": AuditEntry.objects.filter(action="view").count(),
    }
    assert after == before


def test_who_looked_at_my_record_and_the_audit_admin_still_show_after_erasure(
    cast, client, used_member
):
    login(client, cast.admin)
    client.post(reverse("members:erase", args=[used_member.pk]), {"confirm_number": NUMBER})
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(actor_id=cast.member_user.pk).first()
    response = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert response.status_code == 200
    assert re.search(r"gewist|verwijderd", response.content.decode())


def test_deleting_a_staff_account_with_audit_entries_keeps_the_entries(cast, client):
    """The same cause outside erasure: any account with audit entries could not be deleted."""
    adviser = UserFactory(role="adviser")
    adviser.regions.add(cast.region)
    login(client, adviser)
    assert client.get(reverse("trajectories:intake_queue")).status_code == 200
    adviser_id = adviser.pk
    entries = AuditEntry.objects.filter(actor_id=adviser_id).count()
    assert entries >= 1
    adviser.delete()
    assert AuditEntry.objects.filter(actor_id=adviser_id).count() == entries


def test_an_erasure_that_fails_half_way_changes_nothing(cast, client, used_member, monkeypatch):
    from members import erasure

    def broken(**kwargs):
        raise RuntimeError("half-way")

    monkeypatch.setattr(erasure, "_scrub_admin_log", broken)
    with pytest.raises(RuntimeError):
        erasure.member_erase(member=used_member, actor=cast.admin)
    used_member.refresh_from_db()
    assert used_member.erased_at is None and used_member.last_name == LAST
    assert tables_containing(EMAIL)
    assert timezone.now()  # the database is still usable after the rollback


def test_erasure_ends_a_login_that_is_still_open_elsewhere(cast, client, used_member):
    """Sessions are read through Redis (cached_db): erasure must delete that copy too, or the
    erased member's phone stays logged in until the cache forgets it."""
    from importlib import import_module

    from django.conf import settings
    from django.test import Client

    phone = Client()
    response = phone.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    key = phone.session.session_key
    assert phone.get(reverse("members:my_data")).status_code == 200  # read, so cached

    login(client, cast.admin)
    response = client.post(
        reverse("members:erase", args=[used_member.pk]), {"confirm_number": NUMBER}
    )
    assert response.status_code == 302

    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(key)
    response = phone.get(reverse("members:my_data"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
