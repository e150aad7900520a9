"""Two registrations for the last place at the same moment: the meeting row is locked, so one
gets the place and the other the waiting list, never both a place."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from meetings import services
from meetings.models import Registration, RegistrationStatus
from tests.conftest import Cast, ensure_reference_data
from tests.meetings.helpers import guest, make_meeting


@pytest.fixture
def tcast(transactional_db):
    ensure_reference_data()
    return Cast()


def test_two_guests_at_once_never_overbook_the_last_place(tcast, monkeypatch):
    cast = tcast
    meeting = make_meeting(cast, capacity=2)
    guest(meeting, email="al.binnen@example.org")
    # No mail in this test: the confirmation is enqueued after commit; make it a no-op.
    monkeypatch.setattr(services.send_confirmation_mail, "delay_on_commit", lambda *a: None)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def register(number: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.register_guest(
                meeting=meeting,
                name=f"Gast {number}",
                email=f"gast{number}@example.org",
                consent=True,
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    statuses = sorted(
        Registration.objects.filter(meeting=meeting)
        .exclude(email="al.binnen@example.org")
        .values_list("status", flat=True)
    )
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    assert (
        Registration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED).count()
        == 2
    )


def test_the_second_registration_waits_for_the_lock_of_the_first(tcast, monkeypatch):
    """Shown with two connections: while one transaction holds the meeting row, the other's
    registration blocks, and sees the first one's place once it commits."""
    cast = tcast
    meeting = make_meeting(cast, capacity=1)
    monkeypatch.setattr(services.send_confirmation_mail, "delay_on_commit", lambda *a: None)
    from django.db import transaction

    second_result: list[str] = []

    def second() -> None:
        try:
            registration = services.register_guest(
                meeting=meeting, name="Twee", email="twee@example.org", consent=True
            )
            second_result.append(registration.status)
        finally:
            connection.close()

    with transaction.atomic():
        services.register_guest(meeting=meeting, name="Een", email="een@example.org", consent=True)
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive(), "the second registration did not wait for the row lock"
    thread.join(timeout=30)
    assert second_result == [RegistrationStatus.WAITING]
