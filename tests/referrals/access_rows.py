"""Access-table rows for the referrals app's URLs (merged into tests/access_table.py).

The cast's referral is one to the legal department from the cast's consultant, for a member in
the cast's region and sector; the "foreign" one comes from another consultant about a member
of another region and sector, routed to that region's coordinator (no legal user can see a
coordinator's referral, and no in-scope receiver either)."""

from tests.access_table_base import (
    ADMIN,
    ADVISER,
    CONSULTANT,
    COORDINATOR,
    LEGAL,
    SECTOR_OFFICIAL,
    Access,
)

RECEIVERS = frozenset({LEGAL, ADVISER, SECTOR_OFFICIAL, COORDINATOR, ADMIN})


def _own(cast):
    from tests.referrals.helpers import make_referral

    return {"pk": make_referral(cast, kind="legal").pk}


def _foreign(cast):
    from tests.referrals.helpers import make_referral

    return {
        "pk": make_referral(
            cast, kind="workshop", member=cast.other_member, by=cast.other_consultant
        ).pk
    }


ROWS: list[Access] = [
    Access("referrals:inbox", RECEIVERS),
    Access("referrals:mine", frozenset({CONSULTANT})),
    Access("referrals:detail", frozenset({CONSULTANT, LEGAL, ADMIN}), kwargs=_own),
    Access("referrals:detail", frozenset({ADMIN}), kwargs=_foreign, label="foreign"),
    Access("referrals:decline", frozenset({LEGAL, ADMIN}), kwargs=_own),
    Access("referrals:decline", frozenset({ADMIN}), kwargs=_foreign, label="foreign"),
    Access(
        "referrals:accept",
        frozenset({LEGAL, ADMIN}),
        kwargs=_own,
        probe=False,
        reason="POST only; tested in tests/referrals/test_views.py",
    ),
    Access(
        "referrals:complete",
        frozenset({LEGAL, ADMIN}),
        kwargs=_own,
        probe=False,
        reason="POST only; tested in tests/referrals/test_views.py",
    ),
]
