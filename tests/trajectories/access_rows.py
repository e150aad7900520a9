"""Access-table rows for this app's URLs (merged into tests/access_table.py).

"Own" objects belong to the cast's adviser and member in Midden-Utrecht; "foreign" objects to
the other adviser and member in Groot Amsterdam.
"""

from tests.access_table_base import ADVISER, ANONYMOUS, COORDINATOR, MEMBER, NOBODY, Access
from tests.trajectories import factories as f

POST_ONLY = "POST only; outsiders get 404, tested in tests/trajectories/test_views.py"


def _own(cast):
    return f.trajectory(adviser=cast.adviser, member=cast.member)


def _foreign(cast):
    return f.trajectory(adviser=cast.other_adviser, member=cast.other_member)


def _own_pk(cast):
    return {"pk": _own(cast).pk}


def _foreign_pk(cast):
    return {"pk": _foreign(cast).pk}


ADVISER_ONLY = frozenset({ADVISER})
CASE_ROLES = frozenset({ADVISER, COORDINATOR})

ROWS: list[Access] = [
    # public sign-up: anonymous visitors and members (staff sign people up in the queue)
    Access("trajectories:public_signup", frozenset({ANONYMOUS, MEMBER})),
    Access("trajectories:public_signup_done", frozenset({ANONYMOUS, MEMBER})),
    Access("trajectories:my_trajectories", ADVISER_ONLY),
    Access("trajectories:intake_queue", ADVISER_ONLY),
    Access("trajectories:intake_new", ADVISER_ONLY),
    Access(
        "trajectories:intake_take",
        ADVISER_ONLY,
        kwargs=lambda cast: {"pk": f.intake(region=cast.region).pk},
    ),
    Access(
        "trajectories:intake_take",
        NOBODY,
        kwargs=lambda cast: {"pk": f.intake(region=cast.other_region).pk},
        label="foreign",
    ),
    Access("trajectories:intake_withdraw", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:detail", ADVISER_ONLY, kwargs=_own_pk),
    Access("trajectories:detail", NOBODY, kwargs=_foreign_pk, label="foreign"),
    Access("trajectories:workshops_for", ADVISER_ONLY, kwargs=_own_pk),
    Access("trajectories:workshops_for", NOBODY, kwargs=_foreign_pk, label="foreign"),
    Access("trajectories:end", ADVISER_ONLY, kwargs=_own_pk),
    Access("trajectories:end", NOBODY, kwargs=_foreign_pk, label="foreign"),
    Access("trajectories:reassign", CASE_ROLES, kwargs=_own_pk),
    Access("trajectories:reassign", NOBODY, kwargs=_foreign_pk, label="foreign"),
    Access("trajectories:goal_add", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:goal_update", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:plan_agree", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:review_hold", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:note_add", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:summary_share", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:attendance", ADVISER_ONLY, probe=False, reason=POST_ONLY),
    Access("trajectories:cancel", frozenset({ADVISER, MEMBER}), probe=False, reason=POST_ONLY),
    Access("trajectories:enrol", frozenset({MEMBER}), probe=False, reason=POST_ONLY),
    Access("trajectories:case_list", CASE_ROLES),
    Access("trajectories:case_new", CASE_ROLES),
    Access(
        "trajectories:case_detail",
        CASE_ROLES,
        kwargs=lambda cast: {"pk": f.collective_case(region=cast.region).pk},
    ),
    Access(
        "trajectories:case_detail",
        NOBODY,
        kwargs=lambda cast: {"pk": f.collective_case(region=cast.other_region).pk},
        label="foreign",
    ),
    Access("trajectories:outcomes", frozenset({COORDINATOR})),
    Access("trajectories:coordinator_trajectories", frozenset({COORDINATOR})),
    Access("trajectories:my_trajectory", frozenset({MEMBER})),
    Access("trajectories:my_workshops", frozenset({MEMBER})),
]
