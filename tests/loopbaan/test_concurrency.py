"""No double booking, on the real database: 20 members book the same slot at the same moment."""

from __future__ import annotations

import threading

from django.db import connection

from core.roles import Role
from loopbaan.models import Appointment, AppointmentConsultant
from loopbaan.services import SlotTakenError, appointment_book
from tests.factories import MemberFactory, UnionHouseFactory, UserFactory
from tests.loopbaan.helpers import consultant_at, next_weekday_at, slot

THREADS = 20


def test_twenty_concurrent_bookings_of_one_slot_give_exactly_one_appointment(threads_db):
    house = UnionHouseFactory(name="Vakbondshuis Utrecht")
    # The pool at this place and hour is exactly two consultants: one appointment fits.
    pool = [consultant_at(house, weekday=2) for _ in range(2)]
    members = [
        MemberFactory(user=UserFactory(role=Role.MEMBER, email=f"race{n}@example.nl"))
        for n in range(THREADS)
    ]
    wanted = slot(house, next_weekday_at(2, 10))
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def book(member):
        try:
            barrier.wait()
            try:
                result = appointment_book(member=member, slot=wanted)
            except SlotTakenError as error:
                result = error
            except Exception as error:  # anything else is a failure of the test
                result = error
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    booked = [o for o in outcomes if isinstance(o, Appointment)]
    taken = [o for o in outcomes if isinstance(o, SlotTakenError)]
    assert len(outcomes) == THREADS
    assert len(booked) == 1, outcomes
    assert len(taken) == THREADS - 1, [
        o for o in outcomes if not isinstance(o, (Appointment, SlotTakenError))
    ]
    for error in taken:
        assert error.messages == ["Dit tijdstip is net door iemand anders geboekt."]
        assert error.next_slots and all(s.starts_at > wanted.starts_at for s in error.next_slots)
    assert Appointment.objects.count() == 1
    assert set(AppointmentConsultant.objects.values_list("consultant_id", flat=True)) == {
        c.pk for c in pool
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM loopbaan_appointmentconsultant a
            JOIN loopbaan_appointmentconsultant b
              ON a.consultant_id = b.consultant_id AND a.id < b.id
             AND a.during && b.during AND a.is_active AND b.is_active
            """
        )
        assert cursor.fetchone()[0] == 0
