"""Coordinators (their regions) and admins plan meetings in the portal, see the registrations,
cancel a meeting and record attendance afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from meetings.models import Meeting, Registration, RegistrationStatus
from tests.conftest import login
from tests.factories import EmployerFactory
from tests.meetings.helpers import foreign_meeting, guest, make_meeting, move_to_past

pytestmark = pytest.mark.django_db


def _form(cast, **extra):
    start = timezone.localtime() + timedelta(days=10)
    values = {
        "title": "Wat te doen bij ontslag",
        "theme": "ontslag",
        "description": "Eerste stappen na een ontslag.",
        "region": cast.region.pk,
        "union_house": cast.union_house.pk,
        "online_url": "",
        "employer": "",
        "starts_at": start.strftime("%Y-%m-%dT19:30"),
        "ends_at": start.strftime("%Y-%m-%dT21:30"),
        "capacity": "25",
        "is_published": "on",
    }
    values.update(extra)
    return values


def test_a_coordinator_plans_a_meeting_in_their_region(client, cast):
    login(client, cast.coordinator)
    response = client.post(reverse("meetings:create"), _form(cast))
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:manage", kwargs={"pk": meeting.pk})
    assert meeting.organiser == cast.coordinator and meeting.is_published
    assert AuditEntry.objects.filter(object_type="meetings.meeting", action="create").exists()
    assert meeting.title in client.get(reverse("meetings:list")).content.decode()


def test_a_coordinator_cannot_plan_in_another_region(client, cast):
    login(client, cast.coordinator)
    response = client.post(
        reverse("meetings:create"),
        _form(cast, region=cast.other_region.pk, union_house=cast.other_union_house.pk),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"union_house": "", "online_url": ""}, "vul een link voor online deelname in"),
        ({"online_url": "https://meet.example.org/x"}, "niet allebei"),
        ({"ends_at": "2000-01-01T10:00"}, "Kies een datum tussen"),
        ({"starts_at": "0001-01-01T00:00"}, "Kies een datum tussen"),
        ({"capacity": "0"}, "minstens 1"),
        ({"employer": "EMPLOYER"}, "hoort alleen bij een cao-bijeenkomst"),
    ],
)
def test_a_plan_with_a_mistake_says_what_to_fix_and_saves_nothing(client, cast, changes, message):
    if changes.get("employer") == "EMPLOYER":
        changes = {"employer": EmployerFactory().pk}
    login(client, cast.coordinator)
    response = client.post(reverse("meetings:create"), _form(cast, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_reorganisation_meeting_names_its_employer(client, cast):
    employer = EmployerFactory(name="Zorggroep Noord B.V.")
    login(client, cast.coordinator)
    client.post(
        reverse("meetings:create"),
        _form(
            cast,
            theme="reorganisatie",
            employer=employer.pk,
            union_house="",
            online_url="https://meet.example.org/zorg",
        ),
    )
    meeting = Meeting.objects.get()
    assert meeting.employer == employer and meeting.is_online
    page = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "Zorggroep Noord B.V." in page
    assert "meet.example.org/zorg" not in page  # the link only for registered people


def test_the_meeting_form_searches_employers_and_keeps_the_choice_when_edited(client, cast):
    """No <select> of every employer: a search, and without JavaScript the form comes back with
    the matches to choose from. A proposed (unconfirmed) employer cannot be chosen; editing a
    meeting shows its employer chosen."""
    employer = EmployerFactory(name="Zorggroep Noord B.V.")
    proposed = EmployerFactory(name="Zorggroep Noordoost", is_confirmed=False)
    login(client, cast.coordinator)
    page = client.get(reverse("meetings:create")).content.decode()
    assert 'name="employer_query"' in page and '<select name="employer"' not in page
    url = reverse("meetings:create")
    reorganisation = {"theme": "reorganisatie", "employer": "", "employer_query": "Zorggroep"}
    answer = client.post(url, _form(cast, **reorganisation)).content.decode()
    assert "Kies een werkgever uit de lijst." in answer
    assert f'value="{employer.pk}"' in answer and f'value="{proposed.pk}"' not in answer
    assert not Meeting.objects.exists()
    refused = client.post(url, _form(cast, theme="reorganisatie", employer=proposed.pk))
    assert "staat niet (meer) in de lijst" in refused.content.decode()
    assert not Meeting.objects.exists()
    client.post(url, _form(cast, theme="reorganisatie", employer=employer.pk))
    meeting = Meeting.objects.get()
    assert meeting.employer == employer
    edit = client.get(reverse("meetings:edit", kwargs={"pk": meeting.pk})).content.decode()
    assert f'value="{employer.pk}" checked' in edit and "Zorggroep Noord B.V." in edit


def test_the_planner_sees_the_registrations_and_the_view_is_audited(client, cast):
    meeting = make_meeting(cast)
    guest(meeting, name="Ilse van Dam", email="ilse@example.org")
    guest(meeting, name="Wachtende", email="w@example.org", status=RegistrationStatus.WAITING)
    login(client, cast.coordinator)
    page = client.get(reverse("meetings:manage", kwargs={"pk": meeting.pk})).content.decode()
    assert "Ilse van Dam" in page and "ilse@example.org" in page and "Wachtende" in page
    assert AuditEntry.objects.filter(
        object_type="meetings.meeting", object_id=str(meeting.pk), action="list"
    ).exists()


def test_a_coordinator_of_another_region_gets_404(client, cast):
    meeting = foreign_meeting(cast)
    login(client, cast.coordinator)
    for name in ["meetings:manage", "meetings:edit", "meetings:cancel_meeting"]:
        assert client.get(reverse(name, kwargs={"pk": meeting.pk})).status_code == 404
    response = client.post(reverse("meetings:cancel_meeting", kwargs={"pk": meeting.pk}))
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_more_places_move_the_waiting_list_up(
    client, cast, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    meeting = make_meeting(cast, capacity=1)
    guest(meeting)
    waiting = guest(meeting, email="wacht@example.org", status=RegistrationStatus.WAITING)
    login(client, cast.coordinator)
    start = timezone.localtime(meeting.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("meetings:edit", kwargs={"pk": meeting.pk}),
            _form(
                cast,
                capacity="2",
                starts_at=start.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            ),
        )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [m.to for m in mail.outbox] == [["wacht@example.org"]]


def test_fewer_places_than_registrations_is_refused(client, cast):
    meeting = make_meeting(cast, capacity=2)
    guest(meeting)
    guest(meeting, email="twee@example.org")
    login(client, cast.coordinator)
    response = client.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}), _form(cast, capacity="1")
    )
    assert "kies minstens 2 plaatsen" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.capacity == 2


def test_cancelling_a_meeting_tells_everyone_with_a_calendar_cancel(
    client, cast, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    meeting = make_meeting(cast, capacity=1)
    guest(meeting)
    guest(meeting, email="wacht@example.org", status=RegistrationStatus.WAITING)
    login(client, cast.coordinator)
    url = reverse("meetings:cancel_meeting", kwargs={"pk": meeting.pk})
    assert "Ja, annuleer" in client.get(url).content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_cancelled  # GET asks only
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert sorted(m.to[0] for m in mail.outbox) == ["ilse@example.org", "wacht@example.org"]
    assert all("Gaat niet door" in m.subject for m in mail.outbox)
    assert all("METHOD:CANCEL" in m.attachments[0][1] for m in mail.outbox)
    assert meeting.title not in client.get(reverse("meetings:list")).content.decode()


def test_attendance_is_recorded_after_the_start(client, cast):
    meeting = make_meeting(cast)
    came = guest(meeting)
    stayed_away = guest(meeting, email="weg@example.org")
    login(client, cast.coordinator)
    url = reverse("meetings:attendance", kwargs={"pk": meeting.pk})
    response = client.post(url, {f"aanwezig-{came.pk}": "ja"}, follow=True)
    assert "als de bijeenkomst begonnen is" in response.content.decode()
    came.refresh_from_db()
    assert came.attended is None
    move_to_past(meeting)
    client.post(url, {f"aanwezig-{came.pk}": "ja", f"aanwezig-{stayed_away.pk}": "nee"})
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert (came.attended, stayed_away.attended) == (True, False)


def test_attendance_for_another_regions_meeting_is_404(client, cast):
    meeting = move_to_past(foreign_meeting(cast))
    registration = guest(meeting)
    login(client, cast.coordinator)
    response = client.post(
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}),
        {f"aanwezig-{registration.pk}": "ja"},
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.attended is None


def test_attendance_ignores_registrations_of_another_meeting(client, cast):
    meeting = move_to_past(make_meeting(cast))
    other = guest(move_to_past(foreign_meeting(cast)))
    login(client, cast.coordinator)
    client.post(
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}), {f"aanwezig-{other.pk}": "ja"}
    )
    other.refresh_from_db()
    assert other.attended is None


def test_a_draft_is_visible_to_its_planners_only(client, cast):
    meeting = make_meeting(cast, is_published=False)
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 404
    login(client, cast.coordinator)
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 200
    assert Registration.objects.count() == 0
