import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import context
from audit.models import AuditAction, AuditEntry
from audit.services import NO_WAIT_FOR_DISK, audit_again, audit_log


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_object(cast, rf):
    request = rf.get("/leden/1/", REMOTE_ADDR="192.0.2.7")
    request.user = cast.admin
    entry = audit_log(
        request=request, action=AuditAction.VIEW, obj=cast.member, subject_member_id=cast.member.pk
    )
    entry.refresh_from_db()
    assert entry.actor == cast.admin
    assert entry.actor_role == "admin"
    assert entry.object_type == "members.member"
    assert entry.object_id == str(cast.member.pk)
    assert entry.ip_address == "192.0.2.7"


@pytest.mark.django_db
def test_entries_written_again_are_the_rows_audit_log_wrote(cast, rf):
    """A page from the page cache writes its recorded entries with one INSERT of its own
    (audit_again): every field as audit_log wrote it, with the new request's address and path."""
    first = rf.get("/leden/1/", REMOTE_ADDR="192.0.2.7")
    first.user = cast.admin
    with context.recording() as recorded:
        originals = [
            audit_log(
                request=first,
                action=AuditAction.VIEW,
                obj=cast.member,
                subject_member_id=cast.member.pk,
                detail="zoekterm \x00 Jansen",
            ),
            audit_log(request=first, action=AuditAction.LIST, object_type="members.member"),
        ]
    again = rf.get("/leden/1/?opnieuw", REMOTE_ADDR="198.51.100.4")
    last = AuditEntry.objects.order_by("-pk").first().pk
    audit_again(recorded, request=again)
    written = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))
    assert len(written) == 2
    skip = {"id", "at", "ip_address", "path"}
    for original, row in zip(originals, written, strict=True):
        original.refresh_from_db()
        for field in AuditEntry._meta.concrete_fields:
            if field.attname not in skip:
                assert getattr(row, field.attname) == getattr(original, field.attname), field
        assert row.ip_address == "198.51.100.4" and row.path == "/leden/1/"
        assert row.at >= original.at

    with pytest.raises(ValueError):  # a field audit_log records that the INSERT would drop
        audit_again([{**recorded[0], "extra": 1}], request=again)


@pytest.mark.django_db(transaction=True)
def test_read_entries_commit_without_waiting_for_the_disk(rf, settings):
    """The entry of a read outside a transaction (audit_log, and audit_again for a page from the
    cache) is written in one statement string that also sets `synchronous_commit = off` for that
    statement's own transaction only: PostgreSQL honours it there, the connection's next
    transaction waits again, and so do a change's entry and every entry inside a transaction."""
    from tests.conftest import Cast

    cast = Cast()
    first = rf.get("/spreekuren/", REMOTE_ADDR="192.0.2.7")
    first.user = cast.consultant
    again = rf.get("/spreekuren/", REMOTE_ADDR="192.0.2.8")

    def sent(write) -> tuple[str, object]:
        with CaptureQueriesContext(connection) as queries:
            result = write()
        (query,) = queries.captured_queries
        return query["sql"], result

    def read():
        return audit_log(request=first, action=AuditAction.LIST, object_type="signals.session")

    def change():
        return audit_log(request=first, action=AuditAction.CHANGE, object_type="signals.session")

    with context.recording() as recorded:
        sql, entry = sent(read)
    assert sql.endswith(NO_WAIT_FOR_DISK)
    row = AuditEntry.objects.get(pk=entry.pk)  # the entry returned is the row written
    for field in AuditEntry._meta.concrete_fields:
        assert getattr(row, field.attname) == getattr(entry, field.attname), field
    assert (row.actor_id, row.action, row.ip_address) == (cast.consultant.pk, "list", "192.0.2.7")

    before = AuditEntry.objects.count()
    sql, _ = sent(lambda: audit_again(recorded, request=again))
    assert sql.endswith(NO_WAIT_FOR_DISK)
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-pk").first().ip_address == "192.0.2.8"
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",), "the setting outlived its statement"
        # The same form with a question after it: the SET LOCAL holds inside the string.
        cursor.execute(f"SELECT 1{NO_WAIT_FOR_DISK}; SELECT current_setting('synchronous_commit')")
        while cursor.cursor.nextset():
            pass
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)

    assert NO_WAIT_FOR_DISK not in sent(change)[0]
    exported = [*recorded, {**recorded[0], "action": AuditAction.EXPORT}]  # not reads only
    assert NO_WAIT_FOR_DISK not in sent(lambda: audit_again(exported, request=again))[0]
    with transaction.atomic():  # the entries commit with the transaction, which waits
        assert NO_WAIT_FOR_DISK not in sent(read)[0]
        assert NO_WAIT_FOR_DISK not in sent(lambda: audit_again(recorded, request=again))[0]
    settings.AUDIT_READS_WAIT_FOR_DISK = True
    assert NO_WAIT_FOR_DISK not in sent(read)[0]
    assert NO_WAIT_FOR_DISK not in sent(lambda: audit_again(recorded, request=again))[0]
    assert AuditEntry.objects.count() == before + 8


@pytest.mark.django_db
def test_it_refuses_to_change_an_audit_row(cast):
    entry = audit_log(
        user=cast.admin, action=AuditAction.EXPORT, object_type="members.member", object_id="*"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    entry.refresh_from_db()
    assert entry.detail == ""


@pytest.mark.django_db
def test_it_rejects_an_unknown_action(cast):
    with pytest.raises(ValueError):
        audit_log(user=cast.admin, action="peek", object_type="members.member")


@pytest.mark.django_db
def test_admin_lists_views_and_searches_of_members_are_logged(client, cast):
    from django.urls import reverse

    from tests.conftest import login

    login(client, cast.admin)
    client.get(reverse("admin:members_member_changelist"))
    client.get(reverse("admin:members_member_changelist"), {"q": "Jansen"})
    client.get(reverse("admin:members_member_change", args=[cast.member.pk]))
    entries = list(AuditEntry.objects.filter(object_type="members.member").order_by("at"))
    assert [entry.action for entry in entries] == ["list", "search", "view"]
    assert entries[-1].subject_member_id == cast.member.pk
    assert all(entry.actor == cast.admin for entry in entries)


@pytest.mark.django_db
def test_admin_pages_of_reference_data_are_not_logged(client, cast):
    from django.urls import reverse

    from tests.conftest import login

    login(client, cast.admin)
    client.get(reverse("admin:regions_region_changelist"))
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_member_sees_the_role_and_date_of_who_looked_at_their_record(client, cast, settings):
    from django.urls import reverse

    from tests.conftest import login

    audit_log(
        user=cast.admin, action=AuditAction.VIEW, obj=cast.member, subject_member_id=cast.member.pk
    )
    audit_log(
        user=cast.admin,
        action=AuditAction.VIEW,
        obj=cast.other_member,
        subject_member_id=cast.other_member.pk,
    )
    login(client, cast.member_user)
    response = client.get(reverse("audit:my_record_access"))
    assert list(
        response.context["page"].object_list.values_list("subject_member_id", flat=True)
    ) == [cast.member.pk]
    body = response.content.decode()
    assert "Beheerder" in body
    assert cast.admin.full_name not in body
    settings.FNV_SHOW_STAFF_NAMES_TO_MEMBERS = True
    assert cast.admin.full_name in client.get(reverse("audit:my_record_access")).content.decode()


def test_a_nul_byte_in_a_logged_path_does_not_fail_the_request(cast, rf):
    from audit.services import audit_log

    request = rf.get("/leden/mijn-gegevens/")
    request.path = "/leden/\x00mijn-gegevens/"
    request.user = cast.admin
    entry = audit_log(request=request, action="view", object_type="x", detail="a\x00b")
    entry.refresh_from_db()
    assert "\x00" not in entry.path and "\x00" not in entry.detail


def test_a_write_by_a_service_records_the_address_and_page_of_the_request(cast, client):
    """Services pass only the acting user; the middleware gives the entry its address and path
    (trajectory services used to leave them empty)."""
    from django.urls import reverse

    from audit.models import AuditEntry
    from tests.conftest import login
    from tests.trajectories.factories import active_trajectory
    from trajectories.models import ProgressNote

    route = active_trajectory(adviser=cast.adviser, member=cast.member)
    login(client, cast.adviser)
    url = reverse("trajectories:note_add", args=[route.pk])
    client.post(url, {"note-text": "Belde over de vacature"}, REMOTE_ADDR="198.51.100.7")
    note = ProgressNote.objects.get(trajectory=route)
    entry = AuditEntry.objects.get(object_type="trajectories.progressnote", object_id=str(note.pk))
    assert entry.actor == cast.adviser
    assert entry.ip_address == "198.51.100.7" and entry.path == url


def test_outside_a_request_a_service_write_has_no_address(db):
    from audit.services import audit_log

    entry = audit_log(action="delete", object_type="retention", detail="nachtelijk")
    assert entry.ip_address is None and entry.path == ""


def test_signal_steps_and_consent_withdrawals_are_recorded_by_the_services(cast, client):
    """The services record their writes (views only their reads): whatever calls them, the
    entry names the actor, and in a request its address and page."""
    from django.urls import reverse

    from audit.models import AuditEntry
    from signals import services
    from signals.models import Consent
    from tests.conftest import login
    from tests.signals.helpers import log_session
    from tests.signals.test_consent_recipients import _signal

    session = log_session(cast, member=cast.member, consent=True)
    created = AuditEntry.objects.get(object_type="signals.consultationsession", action="create")
    assert created.actor == cast.consultant and created.subject_member_id == cast.member.pk

    signal = _signal(kind="employer_cluster", key="employer:x", sector=cast.sector)
    login(client, cast.sector_official)
    url = reverse("signals:signal_act", args=[signal.pk])
    client.post(url, {"step": "acknowledge"}, REMOTE_ADDR="203.0.113.9")
    step = AuditEntry.objects.get(object_type="signals.signal", action="change")
    assert step.detail == "acknowledge" and step.actor == cast.sector_official
    assert step.ip_address == "203.0.113.9" and step.path == url

    services.consent_withdraw(session=session, by=cast.member_user)
    withdrawn = AuditEntry.objects.filter(
        object_type="signals.consultationsession", action="change"
    ).get()
    assert withdrawn.detail == "toestemming ingetrokken door het lid"
    assert not Consent.objects.filter(session=session, withdrawn_at__isnull=True).exists()


def test_who_looked_at_my_record_says_in_plain_words_what_was_done(cast, client):
    from django.urls import reverse

    from tests.conftest import login
    from tests.trajectories.factories import active_trajectory
    from trajectories import services

    route = active_trajectory(adviser=cast.adviser, member=cast.member)
    services.note_add(by=cast.adviser, trajectory=route, text="Gebeld")
    login(client, cast.member_user)
    page = client.get(reverse("audit:my_record_access")).content.decode()
    assert "Voortgangsnotitie aangemaakt" in page or "voortgangsnotitie aangemaakt" in page.lower()


def test_my_data_shows_an_address_without_a_street_without_a_leading_comma(cast, client):
    from django.urls import reverse

    from tests.conftest import login

    cast.member.street, cast.member.house_number, cast.member.city = "", "", "Utrecht"
    cast.member.save()
    login(client, cast.member_user)
    page = client.get(reverse("members:my_data")).content.decode()
    assert "<dd>3511 AB Utrecht</dd>" in " ".join(page.split()).replace("<dd> ", "<dd>")
