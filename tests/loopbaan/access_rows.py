"""Access-table rows for this app's URLs (merged into tests/access_table.py)."""

from tests.access_table_base import (
    ADMIN,
    ADVISER,
    CONSULTANT,
    COORDINATOR,
    MEMBER,
    NOBODY,
    Access,
)

# Booking on a member's behalf: consultants (through the regions of their union houses),
# coordinators (their regions) and admins (all) for the cast's member; only admins for the
# member of another region.
DESK = frozenset({CONSULTANT, COORDINATOR, ADMIN})
DESK_FOREIGN = frozenset({ADMIN})


def _next_start(cast):
    """Each appointment built for one cast gets its own hour, so that builders used together
    (the header test requests every row) never book a consultant twice."""
    from datetime import timedelta

    from tests.loopbaan.helpers import next_weekday_at

    cast._loopbaan_appointments = getattr(cast, "_loopbaan_appointments", 0) + 1
    return next_weekday_at(2, 10) + timedelta(days=7 * (cast._loopbaan_appointments - 1))


def _own(cast):
    from tests.factories import UserFactory
    from tests.loopbaan.helpers import make_appointment

    partner = UserFactory(role="consultant", totp=False)
    return make_appointment(
        cast.member, [cast.consultant, partner], cast.union_house, starts_at=_next_start(cast)
    )


def _foreign(cast):
    from tests.factories import UserFactory
    from tests.loopbaan.helpers import make_appointment

    partner = UserFactory(role="consultant", totp=False)
    return make_appointment(
        cast.other_member,
        [cast.other_consultant, partner],
        cast.other_union_house,
        starts_at=_next_start(cast),
    )


def _past(appointment_maker):
    def build(cast):
        from datetime import timedelta

        from django.utils import timezone

        appointment = appointment_maker(cast)
        start = timezone.now() - timedelta(days=2)
        type(appointment).objects.filter(pk=appointment.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=1)
        )
        return appointment

    return build


def _report(appointment_maker):
    def build(cast):
        from loopbaan.models import AppointmentReport

        appointment = _past(appointment_maker)(cast)
        return AppointmentReport.objects.create(
            appointment=appointment, career_question="training", referrals=["trajectory"]
        )

    return build


def _slot_key():
    from tests.loopbaan.helpers import next_weekday_at

    return next_weekday_at(2, 10).strftime("%Y%m%dT%H%M")


ROWS: list[Access] = [
    Access("loopbaan:mine", frozenset({MEMBER})),
    Access("loopbaan:book_place", frozenset({MEMBER})),
    Access(
        "loopbaan:book_slots",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"place": str(cast.union_house.pk)},
    ),
    Access(
        "loopbaan:book_slots",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"place": "online"},
        label="online",
    ),
    Access(
        "loopbaan:book_confirm",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"place": str(cast.union_house.pk), "slot": _slot_key()},
    ),
    Access(
        "loopbaan:manage",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"token": _own(cast).public_token},
    ),
    Access(
        "loopbaan:manage",
        NOBODY,
        kwargs=lambda cast: {"token": _foreign(cast).public_token},
        label="foreign",
    ),
    Access(
        "loopbaan:cancel",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"token": _own(cast).public_token},
    ),
    Access(
        "loopbaan:cancel",
        NOBODY,
        kwargs=lambda cast: {"token": _foreign(cast).public_token},
        label="foreign",
    ),
    Access(
        "loopbaan:calendar_file",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"token": _own(cast).public_token},
    ),
    Access(
        "loopbaan:calendar_file",
        NOBODY,
        kwargs=lambda cast: {"token": _foreign(cast).public_token},
        label="foreign",
    ),
    Access(
        "loopbaan:move_slots",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"token": _own(cast).public_token, "place": str(cast.union_house.pk)},
    ),
    Access(
        "loopbaan:move_slots",
        NOBODY,
        kwargs=lambda cast: {"token": _foreign(cast).public_token, "place": "online"},
        label="foreign",
    ),
    Access(
        "loopbaan:move_confirm",
        frozenset({MEMBER}),
        kwargs=lambda cast: {
            "token": _own(cast).public_token,
            "place": str(cast.union_house.pk),
            "slot": _slot_key(),
        },
    ),
    Access(
        "loopbaan:move_confirm",
        NOBODY,
        kwargs=lambda cast: {
            "token": _foreign(cast).public_token,
            "place": "online",
            "slot": _slot_key(),
        },
        label="foreign",
    ),
    Access("loopbaan:agenda", frozenset({CONSULTANT})),
    Access(
        "loopbaan:consultant_appointment",
        frozenset({CONSULTANT}),
        kwargs=lambda cast: {"pk": _own(cast).pk},
    ),
    Access(
        "loopbaan:consultant_appointment",
        NOBODY,
        kwargs=lambda cast: {"pk": _foreign(cast).pk},
        label="foreign",
    ),
    Access(
        "loopbaan:withdraw",
        frozenset({CONSULTANT}),
        probe=False,
        reason="POST only; own and foreign tested in tests/loopbaan/test_views.py",
    ),
    Access(
        "loopbaan:report", frozenset({CONSULTANT}), kwargs=lambda cast: {"pk": _past(_own)(cast).pk}
    ),
    Access(
        "loopbaan:report",
        NOBODY,
        kwargs=lambda cast: {"pk": _past(_foreign)(cast).pk},
        label="foreign",
    ),
    Access(
        "loopbaan:report_detail",
        frozenset({CONSULTANT, ADVISER}),
        kwargs=lambda cast: {"pk": _report(_own)(cast).pk},
    ),
    Access(
        "loopbaan:report_detail",
        NOBODY,
        kwargs=lambda cast: {"pk": _report(_foreign)(cast).pk},
        label="foreign",
    ),
    Access("loopbaan:availability", frozenset({CONSULTANT})),
    Access(
        "loopbaan:availability_delete",
        frozenset({CONSULTANT}),
        probe=False,
        reason="POST only; own and foreign tested in tests/loopbaan/test_views.py",
    ),
    Access(
        "loopbaan:blocked_delete",
        frozenset({CONSULTANT}),
        probe=False,
        reason="POST only; own and foreign tested in tests/loopbaan/test_views.py",
    ),
    Access("loopbaan:occupancy", frozenset({COORDINATOR})),
    Access("loopbaan:desk_find", DESK),
    Access("loopbaan:desk_member", DESK, kwargs=lambda cast: {"member": cast.member.pk}),
    Access(
        "loopbaan:desk_member",
        DESK_FOREIGN,
        kwargs=lambda cast: {"member": cast.other_member.pk},
        label="foreign",
    ),
    Access(
        "loopbaan:desk_slots",
        DESK,
        kwargs=lambda cast: {"member": cast.member.pk, "place": str(cast.union_house.pk)},
    ),
    Access(
        "loopbaan:desk_slots",
        DESK_FOREIGN,
        kwargs=lambda cast: {"member": cast.other_member.pk, "place": "online"},
        label="foreign",
    ),
    Access(
        "loopbaan:desk_confirm",
        DESK,
        kwargs=lambda cast: {
            "member": cast.member.pk,
            "place": str(cast.union_house.pk),
            "slot": _slot_key(),
        },
    ),
    Access(
        "loopbaan:desk_confirm",
        DESK_FOREIGN,
        kwargs=lambda cast: {
            "member": cast.other_member.pk,
            "place": "online",
            "slot": _slot_key(),
        },
        label="foreign",
    ),
    *[
        row
        for name in ("desk_appointment", "desk_letter", "desk_cancel")
        for row in (
            Access(f"loopbaan:{name}", DESK, kwargs=lambda cast: {"pk": _own(cast).pk}),
            Access(
                f"loopbaan:{name}",
                DESK_FOREIGN,
                kwargs=lambda cast: {"pk": _foreign(cast).pk},
                label="foreign",
            ),
        )
    ],
    Access(
        "loopbaan:desk_move_slots",
        DESK,
        kwargs=lambda cast: {"pk": _own(cast).pk, "place": str(cast.union_house.pk)},
    ),
    Access(
        "loopbaan:desk_move_slots",
        DESK_FOREIGN,
        kwargs=lambda cast: {"pk": _foreign(cast).pk, "place": "online"},
        label="foreign",
    ),
    Access(
        "loopbaan:desk_move_confirm",
        DESK,
        kwargs=lambda cast: {
            "pk": _own(cast).pk,
            "place": str(cast.union_house.pk),
            "slot": _slot_key(),
        },
    ),
    Access(
        "loopbaan:desk_move_confirm",
        DESK_FOREIGN,
        kwargs=lambda cast: {"pk": _foreign(cast).pk, "place": "online", "slot": _slot_key()},
        label="foreign",
    ),
]
