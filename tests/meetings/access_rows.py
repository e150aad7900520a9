"""Access-table rows for the meetings' URLs (merged into tests/access_table.py)."""

from tests.access_table_base import ADMIN, COORDINATOR, EVERYONE, NOBODY, Access

PLANNERS = frozenset({COORDINATOR, ADMIN})


def _published(cast):
    from tests.meetings.helpers import make_meeting

    return make_meeting(cast)


def _draft(cast):
    from tests.meetings.helpers import make_meeting

    return make_meeting(cast, is_published=False)


def _foreign_draft(cast):
    from tests.meetings.helpers import foreign_meeting

    return foreign_meeting(cast, is_published=False)


def _foreign(cast):
    from tests.meetings.helpers import foreign_meeting

    return foreign_meeting(cast)


def _token(cast):
    from tests.meetings.helpers import guest

    return guest(_published(cast)).token


ROWS: list[Access] = [
    Access("meetings:list", EVERYONE),
    Access("meetings:detail", EVERYONE, kwargs=lambda cast: {"pk": _published(cast).pk}),
    Access(
        "meetings:detail",
        PLANNERS,
        kwargs=lambda cast: {"pk": _draft(cast).pk},
        label="draft",
    ),
    Access(
        "meetings:detail",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"pk": _foreign_draft(cast).pk},
        label="foreign draft",
    ),
    Access(
        "meetings:register",
        EVERYONE,
        probe=False,
        reason="POST only; members, guests and drafts tested in tests/meetings/test_registration.py",
    ),
    Access("meetings:registered", EVERYONE, kwargs=lambda cast: {"pk": _published(cast).pk}),
    Access("meetings:cancel", EVERYONE, kwargs=lambda cast: {"token": _token(cast)}),
    Access(
        "meetings:cancel",
        NOBODY,
        kwargs=lambda cast: {"token": "niet-een-bestaande-sleutel-1234567"},
        label="wrong token",
    ),
    Access("meetings:planning", PLANNERS),
    Access("meetings:create", PLANNERS),
    Access("meetings:manage", PLANNERS, kwargs=lambda cast: {"pk": _published(cast).pk}),
    Access(
        "meetings:manage",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"pk": _foreign(cast).pk},
        label="foreign",
    ),
    Access("meetings:edit", PLANNERS, kwargs=lambda cast: {"pk": _published(cast).pk}),
    Access(
        "meetings:edit",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"pk": _foreign(cast).pk},
        label="foreign",
    ),
    Access("meetings:cancel_meeting", PLANNERS, kwargs=lambda cast: {"pk": _published(cast).pk}),
    Access(
        "meetings:cancel_meeting",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"pk": _foreign(cast).pk},
        label="foreign",
    ),
    Access(
        "meetings:attendance",
        PLANNERS,
        probe=False,
        reason="POST only; own and foreign tested in tests/meetings/test_planning.py",
    ),
]
