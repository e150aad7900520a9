"""Access-table rows for this app's URLs (merged into tests/access_table.py)."""

from __future__ import annotations

import datetime as dt

from tests.access_table_base import (
    ADMIN,
    CONSULTANT,
    COORDINATOR,
    MEMBER,
    NOBODY,
    SECTOR_OFFICIAL,
    Access,
)

SIGNAL_ROLES = frozenset({SECTOR_OFFICIAL, COORDINATOR, ADMIN})


def _session(cast, consultant):
    from tests.signals.helpers import log_session

    return log_session(cast, consultant=consultant)


def _signal(cast, *, sector=None, region=None):
    from django.utils import timezone

    from signals.detection import active_rules
    from signals.models import RuleKind, Signal
    from tests.factories import EmployerFactory

    rules = {r.kind: r for r in active_rules()}
    today = timezone.localdate()
    if region is not None:
        return Signal.objects.create(
            rule=rules[RuleKind.THEME_RISE],
            key=f"theme:0:region:{region.pk}",
            region=region,
            window_start=today - dt.timedelta(days=29),
            window_end=today,
            count=5,
        )
    employer = EmployerFactory(sector=sector)
    return Signal.objects.create(
        rule=rules[RuleKind.EMPLOYER_CLUSTER],
        key=f"employer:{employer.pk}",
        employer=employer,
        sector=sector,
        window_start=today - dt.timedelta(days=29),
        window_end=today,
        count=3,
    )


ROWS: list[Access] = [
    Access("signals:session_list", frozenset({CONSULTANT, ADMIN})),
    Access("signals:my_consents", frozenset({MEMBER})),
    Access(
        "signals:my_consent_withdraw",
        frozenset({MEMBER}),
        kwargs=lambda cast: {"pk": 0},
        probe=False,
        reason="POST only; tested in tests/signals/test_my_consents.py",
    ),
    Access("signals:session_new", frozenset({CONSULTANT})),
    Access(
        "signals:session_edit",
        frozenset({CONSULTANT}),
        kwargs=lambda cast: {"pk": _session(cast, cast.consultant).pk},
    ),
    Access(
        "signals:session_edit",
        NOBODY,
        kwargs=lambda cast: {"pk": _session(cast, cast.other_consultant).pk},
        label="foreign",
    ),
    Access(
        "signals:consent_withdraw",
        frozenset({CONSULTANT, ADMIN}),
        probe=False,
        reason="POST only; tested in tests/signals/test_privacy.py",
    ),
    Access("signals:employer_search", frozenset({CONSULTANT, ADMIN})),
    Access("signals:employer_review", frozenset({ADMIN})),
    Access(
        "signals:employer_confirm",
        frozenset({ADMIN}),
        probe=False,
        reason="POST only; tested in tests/signals/test_employers.py",
    ),
    Access(
        "signals:employer_merge",
        frozenset({ADMIN}),
        probe=False,
        reason="POST only; tested in tests/signals/test_employers.py",
    ),
    Access("signals:signal_list", SIGNAL_ROLES),
    Access("signals:map", SIGNAL_ROLES),
    Access("signals:inbox", SIGNAL_ROLES),
    Access("signals:region", frozenset({COORDINATOR, ADMIN}), kwargs=lambda cast: {"code": "AM13"}),
    Access(
        "signals:region", frozenset({ADMIN}), kwargs=lambda cast: {"code": "AM18"}, label="foreign"
    ),
    Access(
        "signals:signal",
        frozenset({SECTOR_OFFICIAL, ADMIN}),
        kwargs=lambda cast: {"pk": _signal(cast, sector=cast.sector).pk},
        label="own sector",
    ),
    Access(
        "signals:signal",
        frozenset({COORDINATOR, ADMIN}),
        kwargs=lambda cast: {"pk": _signal(cast, region=cast.region).pk},
        label="own region",
    ),
    Access(
        "signals:signal",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"pk": _signal(cast, sector=cast.other_sector).pk},
        label="foreign",
    ),
    Access(
        "signals:signal_act",
        SIGNAL_ROLES,
        probe=False,
        reason="POST only; tested in tests/signals/test_lifecycle.py",
    ),
    Access(
        "signals:signal_read",
        SIGNAL_ROLES,
        probe=False,
        reason="POST only; tested in tests/signals/test_notifications.py",
    ),
]
