"""Access-table rows for the region dashboards (merged into tests/access_table.py)."""

from tests.access_table_base import ADMIN, COORDINATOR, REGIONAL_OFFICIAL, Access

DASHBOARD = frozenset({REGIONAL_OFFICIAL, COORDINATOR, ADMIN})

ROWS: list[Access] = [
    Access("dashboard:choose", DASHBOARD),
    Access("dashboard:region", DASHBOARD, kwargs=lambda cast: {"code": "AM13"}),
    Access(
        "dashboard:region",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"code": "AM18"},
        label="foreign",
    ),
    Access("dashboard:region_csv", DASHBOARD, kwargs=lambda cast: {"code": "AM13"}),
    Access(
        "dashboard:region_csv",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"code": "AM18"},
        label="foreign",
    ),
    Access(
        "dashboard:region_refresh",
        frozenset({ADMIN}),
        kwargs=lambda cast: {"code": "AM13"},
        probe=False,
        reason="POST only; tested in tests/dashboard/test_snapshots.py",
        methods=("POST",),
    ),
    Access(
        "dashboard:national_refresh",
        frozenset({ADMIN}),
        probe=False,
        reason="POST only; tested in tests/dashboard/test_snapshots.py",
        methods=("POST",),
    ),
    Access("dashboard:national", frozenset({ADMIN})),
    Access("dashboard:national_csv", frozenset({ADMIN})),
]
