"""The pages, through the test client: what each role can do, and that outsiders get 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from core.registry import home_tiles
from tests.conftest import login
from tests.trajectories import factories as f
from trajectories import enrolling
from trajectories.models import (
    Enrolment,
    IntakeRequest,
    Participant,
    PlanReview,
    ProgressNote,
    Trajectory,
    TrajectoryStatus,
)

NOTE = "Vertrouwelijk: lastige thuissituatie"


@pytest.fixture
def own(cast):
    return f.active_trajectory(adviser=cast.adviser, member=cast.member)


def test_an_adviser_runs_a_trajectory_from_the_queue_to_an_outcome(client, cast):
    request = f.intake(region=cast.region, member=cast.member)
    foreign = f.intake(region=cast.other_region)
    login(client, cast.adviser)
    queue = client.get(reverse("trajectories:intake_queue")).content.decode()
    assert cast.member.last_name in queue and foreign.member.last_name not in queue
    response = client.post(
        reverse("trajectories:intake_take", kwargs={"pk": request.pk}),
        {"kind": "career", "reason": "dismissed"},
    )
    trajectory = Trajectory.objects.get()
    assert response.url == reverse("trajectories:detail", kwargs={"pk": trajectory.pk})
    url = lambda name, **kw: reverse(f"trajectories:{name}", kwargs={"pk": trajectory.pk, **kw})  # noqa: E731
    client.post(url("goal_add"), {"description": "Sollicitatiebrief schrijven", "due_on": ""})
    end = (timezone.localdate() + datetime.timedelta(weeks=12)).isoformat()
    client.post(url("plan_agree"), {"agreed_end_on": end, "review_interval_weeks": 4})
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE
    client.post(url("note_add"), {"note-text": NOTE})
    client.post(url("summary_share"), {"summary-text": "Goede start gemaakt."})
    review = PlanReview.objects.get(trajectory=trajectory)
    client.post(url("review_hold", review_pk=review.pk))
    goal = trajectory.plan.goals.get()
    client.post(url("goal_update", goal_pk=goal.pk), {"status": "achieved"})
    session = f.session()
    client.post(url("workshops_for"), {"session": session.pk})
    assert Enrolment.objects.get(trajectory=trajectory).status == "enrolled"
    page = client.get(url("detail")).content.decode()
    assert NOTE in page and "Versie 2" in page and "Goede start gemaakt." in page
    response = client.post(
        url("end"),
        {
            "ending": "completed",
            "kind": "new_job",
            "sector": cast.sector.pk,
            "contract_kind": "permanent",
            "under_cao": "yes",
        },
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.COMPLETED
    assert trajectory.outcome.under_cao is True
    assert ProgressNote.objects.get().text == NOTE
    # The audit trail names objects, never note text.
    assert AuditEntry.objects.filter(object_type="trajectories.trajectory", action="view").exists()
    assert not AuditEntry.objects.filter(detail__contains="Vertrouwelijk").exists()


def test_every_action_on_a_foreign_trajectory_is_404_and_changes_nothing(client, cast, own):
    review = PlanReview.objects.get(trajectory=own)
    goal = own.plan.goals.get()
    enrolment = Enrolment.objects.create(
        session=f.session(starts_in=datetime.timedelta(hours=-1)), trajectory=own, status="enrolled"
    )
    posts = [
        ("goal_add", {"pk": own.pk}, {"description": "x"}),
        ("goal_update", {"pk": own.pk, "goal_pk": goal.pk}, {"status": "dropped"}),
        ("plan_agree", {"pk": own.pk}, {"agreed_end_on": "2030-01-01", "review_interval_weeks": 2}),
        ("review_hold", {"pk": own.pk, "review_pk": review.pk}, {}),
        ("note_add", {"pk": own.pk}, {"note-text": "x"}),
        ("summary_share", {"pk": own.pk}, {"summary-text": "x"}),
        ("workshops_for", {"pk": own.pk}, {"session": f.session().pk}),
        ("end", {"pk": own.pk}, {"ending": "stopped", "stop_reason": "x", "kind": "none"}),
        ("reassign", {"pk": own.pk}, {"adviser": cast.other_adviser.pk}),
        ("attendance", {"enrolment_pk": enrolment.pk}, {"attended": "no"}),
        ("cancel", {"enrolment_pk": enrolment.pk}, {}),
    ]
    for outsider in (
        cast.other_adviser,
        cast.other_member_user,
        cast.other_coordinator,
        cast.admin,
    ):
        client.logout()
        login(client, outsider)
        for name, kwargs, data in posts:
            response = client.post(reverse(f"trajectories:{name}", kwargs=kwargs), data)
            assert response.status_code == 404, (outsider.email, name)
    own.refresh_from_db()
    assert own.status == TrajectoryStatus.ACTIVE and own.adviser == cast.adviser
    assert own.shared_summary == "" and not ProgressNote.objects.exists()
    assert own.plan.goals.count() == 1 and own.plan.goals.get().status == "open"
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled" and enrolment.attended is None


def test_the_participant_sees_plan_summary_and_reviews_but_never_notes(client, cast, own):
    f.trajectory(adviser=cast.other_adviser, member=cast.other_member)
    from trajectories import services

    services.note_add(by=cast.adviser, trajectory=own, text=NOTE)
    services.summary_share(by=cast.adviser, trajectory=own, text="Je bent goed op weg.")
    login(client, cast.member_user)
    page = client.get(reverse("trajectories:my_trajectory")).content.decode()
    assert "Cv bijwerken" in page and "Je bent goed op weg." in page
    review = PlanReview.objects.get(trajectory=own)
    assert review.due_on.strftime("%d-%m-%Y") in page
    assert NOTE not in page and "Versie" not in page
    assert AuditEntry.objects.filter(actor=cast.member_user, object_id=str(own.pk)).exists()


def test_the_participant_reaches_plan_and_workshops_from_home_tiles(cast, own):
    urls = [tile.url for tile in home_tiles(cast.member_user)]
    assert reverse("trajectories:my_trajectory") in urls
    assert reverse("trajectories:my_workshops") in urls
    assert not any("trajecten" in tile.url for tile in home_tiles(cast.other_member_user))


def test_the_participant_enrols_and_cancels_and_the_waiting_list_moves_up(client, cast, own):
    session = f.session(capacity=1)
    login(client, cast.member_user)
    client.post(reverse("trajectories:enrol", kwargs={"session_pk": session.pk}))
    mine = Enrolment.objects.get(trajectory=own)
    assert mine.status == "enrolled"
    other = f.active_trajectory(adviser=cast.adviser)

    waiting = enrolling.enrol(by=cast.adviser, trajectory=other, session=session)
    assert waiting.status == "waiting"
    page = client.get(reverse("trajectories:my_workshops")).content.decode()
    assert "Solliciteren met LinkedIn" in page
    client.post(reverse("trajectories:cancel", kwargs={"enrolment_pk": mine.pk}))
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == "cancelled" and waiting.status == "enrolled"
    # Someone else's enrolment is out of reach.
    response = client.post(reverse("trajectories:cancel", kwargs={"enrolment_pk": waiting.pk}))
    assert response.status_code == 404


def test_a_non_member_needs_recorded_consent(client, cast):
    login(client, cast.adviser)
    url = reverse("trajectories:intake_new")
    data = {"region": cast.region.pk, "first_name": "Kees", "last_name": "Jansen"}
    client.post(url, data)
    assert not Participant.objects.exists()
    client.post(
        url, {**data, "consent": "on", "consent_source": "phone", "external_reference": "RMT-1"}
    )
    participant = Participant.objects.get()
    assert participant.consent_source == "phone" and participant.consent_at is not None
    assert IntakeRequest.objects.get().participant == participant


def test_a_member_by_number_goes_into_the_queue(client, cast):
    login(client, cast.adviser)
    client.post(
        reverse("trajectories:intake_new"),
        {"region": cast.region.pk, "member_number": cast.member.member_number},
    )
    assert IntakeRequest.objects.get().member == cast.member


def test_coordinator_pages_count_and_never_name(client, cast):
    case = f.collective_case(region=cast.region)
    trajectories = [
        f.active_trajectory(adviser=cast.adviser, collective_case=case) for _ in range(3)
    ]
    login(client, cast.coordinator)
    for name, kwargs in [
        ("outcomes", {}),
        ("coordinator_trajectories", {}),
        ("case_detail", {"pk": case.pk}),
        ("reassign", {"pk": trajectories[0].pk}),
    ]:
        page = client.get(reverse(f"trajectories:{name}", kwargs=kwargs)).content.decode()
        for t in trajectories:
            assert t.member.last_name not in page, name
            assert t.member.member_number not in page, name


def test_a_coordinator_reassigns_a_trajectory_of_their_region(client, cast, own):
    second = f.adviser(cast.region)
    login(client, cast.coordinator)
    client.post(
        reverse("trajectories:reassign", kwargs={"pk": own.pk}),
        {"adviser": second.pk, "reason": "Werkverdeling"},
    )
    own.refresh_from_db()
    assert own.adviser == second
    assert own.assignments.count() == 2


def test_the_adviser_home_shows_queue_and_trajectories(cast, own):
    f.intake(region=cast.region)
    titles = {tile.title: tile.badge for tile in home_tiles(cast.adviser)}
    assert titles["Intakewachtrij"] == "1 wachtend"
    assert titles["Mijn trajecten"] == "1 lopend"


def test_list_pages_use_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    for _ in range(3):
        f.active_trajectory(adviser=cast.adviser)
        f.intake(region=cast.region)
    login(client, cast.adviser)
    # session, user, (mfa check), the list, its prefetch, the audit insert, messages: no N+1
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("trajectories:my_trajectories"))
    for _ in range(5):
        f.active_trajectory(adviser=cast.adviser)
        f.intake(region=cast.region)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("trajectories:my_trajectories"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("trajectories:intake_queue"))
    f.intake(region=cast.region)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("trajectories:intake_queue"))


def test_the_adviser_edits_a_goals_text_and_date_and_a_version_is_kept(client, cast, own):
    goal = own.plan.goals.get()
    login(client, cast.adviser)
    client.post(
        reverse("trajectories:goal_update", kwargs={"pk": own.pk, "goal_pk": goal.pk}),
        {"description": "Cv bijwerken en laten nakijken", "due_on": "2030-05-01"},
    )
    goal.refresh_from_db()
    assert goal.description == "Cv bijwerken en laten nakijken"
    assert goal.due_on.isoformat() == "2030-05-01" and goal.status == "open"
    latest = own.plan.versions.order_by("-number").first()
    assert latest.number == 2 and "omschrijving" in latest.change


def test_the_participant_pages_are_translated_to_english(client, cast, own, settings):
    login(client, cast.member_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The locale middleware leaves English active in this thread: restore Dutch afterwards.
    with translation.override("nl"):
        page = client.get(reverse("trajectories:my_trajectory")).content.decode()
    assert "My plan of action" in page and "Summary from your adviser" in page


def test_an_empty_progress_note_is_refused_with_a_message(client, cast):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests.conftest import login
    from tests.trajectories.factories import active_trajectory
    from trajectories.models import ProgressNote

    trajectory = active_trajectory(adviser=cast.adviser, member=cast.member)
    login(client, cast.adviser)
    response = client.post(
        reverse("trajectories:note_add", args=[trajectory.pk]), {"note-text": ""}
    )
    assert response.status_code == 302
    assert not ProgressNote.objects.filter(trajectory=trajectory).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Schrijf eerst de notitie; er is niets opgeslagen."
    ]
