"""Workshops: capacity, the waiting list that moves up, and concurrent enrolments."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import Cast, ensure_reference_data
from tests.factories import MemberFactory, UserFactory
from tests.trajectories import factories as f
from trajectories import enrolling
from trajectories.models import Enrolment, EnrolmentStatus


def _participants(cast, n):
    return [f.active_trajectory(adviser=cast.adviser) for _ in range(n)]


def test_enrolments_beyond_capacity_go_to_the_waiting_list_in_order(cast):
    session = f.session(capacity=2)
    statuses = [
        enrolling.enrol(by=cast.adviser, trajectory=t, session=session).status
        for t in _participants(cast, 4)
    ]
    assert statuses == ["enrolled", "enrolled", "waiting", "waiting"]


def test_cancelling_a_place_moves_the_first_waiting_up_and_mails_them(
    cast, django_capture_on_commit_callbacks
):
    session = f.session(capacity=1)
    first, second, third = _participants(cast, 3)
    place = enrolling.enrol(by=cast.adviser, trajectory=first, session=session)
    waiting = enrolling.enrol(by=cast.adviser, trajectory=second, session=session)
    enrolling.enrol(by=cast.adviser, trajectory=third, session=session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = enrolling.enrolment_cancel(by=cast.adviser, enrolment=place)
    assert promoted.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [second.member.email]
    assert "plaats vrij" in mail.outbox[0].subject
    # The mail is sent once, however often the task runs.
    from trajectories.tasks import send_moved_up_mail

    assert send_moved_up_mail(waiting.pk) is False
    assert len(mail.outbox) == 1


def test_cancelling_a_waiting_place_moves_nobody(cast):
    session = f.session(capacity=1)
    first, second = _participants(cast, 2)
    enrolling.enrol(by=cast.adviser, trajectory=first, session=session)
    waiting = enrolling.enrol(by=cast.adviser, trajectory=second, session=session)
    assert enrolling.enrolment_cancel(by=cast.adviser, enrolment=waiting) is None
    assert Enrolment.objects.get(trajectory=first).status == "enrolled"


def test_the_same_participant_cannot_enrol_twice(cast):
    session = f.session()
    trajectory = f.active_trajectory(adviser=cast.adviser)
    enrolling.enrol(by=cast.adviser, trajectory=trajectory, session=session)
    with pytest.raises(ValidationError, match="al ingeschreven"):
        enrolling.enrol(by=cast.adviser, trajectory=trajectory, session=session)


def test_a_member_enrols_only_for_their_own_trajectory(cast):
    session = f.session()
    mine = f.active_trajectory(adviser=cast.adviser, member=cast.member)
    theirs = f.active_trajectory(adviser=cast.adviser)
    assert enrolling.enrol(by=cast.member_user, trajectory=mine, session=session)
    with pytest.raises(ValidationError):
        enrolling.enrol(by=cast.member_user, trajectory=theirs, session=session)
    with pytest.raises(ValidationError):
        enrolling.enrol(by=cast.other_adviser, trajectory=theirs, session=session)


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_capacity():
    ensure_reference_data()
    cast = Cast()
    capacity, people = 3, 10
    session = f.session(capacity=capacity)
    members = []
    trajectories = []
    for _ in range(people):
        user = UserFactory()
        member = MemberFactory(user=user, region=cast.region)
        members.append(user)
        trajectories.append(f.active_trajectory(adviser=cast.adviser, member=member))
    barrier = threading.Barrier(people)
    errors: list[Exception] = []

    def enrol(user, trajectory) -> None:
        try:
            barrier.wait()
            enrolling.enrol(by=user, trajectory=trajectory, session=session)
        except Exception as error:  # noqa: BLE001  (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enrol, args=pair)
        for pair in zip(members, trajectories, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == capacity
    assert Enrolment.objects.filter(session=session, status="waiting").count() == people - capacity


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_and_enrolments_keep_the_session_within_capacity():
    ensure_reference_data()
    cast = Cast()
    session = f.session(capacity=2)
    existing = [f.active_trajectory(adviser=cast.adviser) for _ in range(4)]
    enrolments = [enrolling.enrol(by=cast.adviser, trajectory=t, session=session) for t in existing]
    newcomers = [f.active_trajectory(adviser=cast.adviser) for _ in range(4)]
    barrier = threading.Barrier(6)
    errors: list[Exception] = []

    def run(action) -> None:
        try:
            barrier.wait()
            action()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    actions = [
        lambda e=enrolments[0]: enrolling.enrolment_cancel(by=cast.adviser, enrolment=e),
        lambda e=enrolments[1]: enrolling.enrolment_cancel(by=cast.adviser, enrolment=e),
        *[
            lambda t=t: enrolling.enrol(by=cast.adviser, trajectory=t, session=session)
            for t in newcomers
        ],
    ]
    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == 2
    # The two who waited longest moved up, in order.
    promoted = set(
        Enrolment.objects.filter(session=session, status="enrolled").values_list("pk", flat=True)
    )
    assert promoted == {enrolments[2].pk, enrolments[3].pk}
