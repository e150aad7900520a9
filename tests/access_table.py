"""The access table: every URL pattern of the project, and who may use it.

`tests/test_access.py` walks Django's URL resolver and fails on any pattern without a row here,
so every new view must state who may see it; the same rows drive the probe that requests each
URL as every role. Each app keeps its rows in tests/<app>/access_rows.py; the roles and the
`Access` row type are in tests/access_table_base.py.
"""

from __future__ import annotations

from tests.access_table_base import (  # noqa: F401  (re-exported for the tests and the README)
    ADMIN,
    ADVISER,
    ANONYMOUS,
    CONSULTANT,
    COORDINATOR,
    EVERYONE,
    LOGGED_IN,
    MEMBER,
    NOBODY,
    REGIONAL_OFFICIAL,
    SECTOR_OFFICIAL,
    STAFF,
    Access,
)
from tests.casework.access_rows import ROWS as CASEWORK_ROWS
from tests.dashboard.access_rows import ROWS as DASHBOARD_ROWS
from tests.labourmarket.access_rows import ROWS as LABOURMARKET_ROWS
from tests.loopbaan.access_rows import ROWS as LOOPBAAN_ROWS
from tests.meetings.access_rows import ROWS as MEETINGS_ROWS
from tests.members.access_rows import ROWS as MEMBERS_ROWS
from tests.pages.access_rows import ROWS as PAGES_ROWS
from tests.plans.access_rows import ROWS as PLANS_ROWS
from tests.referrals.access_rows import ROWS as REFERRALS_ROWS
from tests.regions.access_rows import ROWS as REGIONS_ROWS
from tests.signals.access_rows import ROWS as SIGNALS_ROWS
from tests.trajectories.access_rows import ROWS as TRAJECTORIES_ROWS

CORE_ROWS: list[Access] = [
    # --- portal -------------------------------------------------------------------------
    Access("home", EVERYONE),
    Access("healthz", EVERYONE),
    Access(
        "healthz_ready",
        EVERYONE,
        probe=False,
        reason="200 or 503 by the state of beat; tested in tests/fnvregio/test_observability.py",
    ),
    # Only with the bearer token (FNV_METRICS_TOKEN): a 404 for every role and session.
    Access("metrics", NOBODY),
    Access(
        "set_language",
        EVERYONE,
        probe=False,
        reason="POST only; tested in tests/fnvregio/test_i18n.py",
    ),
    Access("admin:", frozenset({ADMIN})),
    Access("audit:my_record_access", frozenset({MEMBER})),
    # --- regions (public reference data) --------------------------------------------------
    Access("regions:list", EVERYONE),
    Access("regions:detail", EVERYONE, kwargs=lambda cast: {"code": "AM13"}),
    # --- allauth: login, logout, password reset, two-factor -------------------------------
    Access("account_login", EVERYONE),
    Access(
        "account_logout",
        EVERYONE,
        probe=False,
        reason="POST to log out; tested in tests/fnvregio/test_auth.py",
    ),
    Access("account_inactive", EVERYONE),
    Access("account_signup", EVERYONE, label="closed: shows that sign-up is closed"),
    Access("account_reauthenticate", LOGGED_IN),
    Access("account_email", LOGGED_IN),
    Access("account_email_verification_sent", EVERYONE),
    Access("account_change_password", LOGGED_IN),
    Access("account_set_password", LOGGED_IN),
    Access("account_reset_password", EVERYONE),
    Access("account_reset_password_done", EVERYONE),
    Access("account_reset_password_from_key_done", EVERYONE),
    Access(
        "account_confirm_login_code",
        EVERYONE,
        probe=False,
        reason="login by code is off; only reachable inside a login flow",
    ),
    Access(
        "account_confirm_email",
        EVERYONE,
        probe=False,
        reason="needs a one-time key; allauth's own flow",
    ),
    Access(
        "account_reset_password_from_key",
        EVERYONE,
        probe=False,
        reason="needs a one-time key; tested in tests/fnvregio/test_auth.py",
    ),
    Access("mfa_index", LOGGED_IN),
    Access(
        "mfa_authenticate",
        EVERYONE,
        probe=False,
        reason="only inside a login flow; tested in tests/fnvregio/test_auth.py",
    ),
    Access(
        "mfa_reauthenticate", LOGGED_IN, probe=False, reason="only inside a reauthentication flow"
    ),
    Access(
        "mfa_activate_totp",
        LOGGED_IN,
        probe=False,
        reason="redirects once TOTP is active; tested in tests/fnvregio/test_auth.py",
    ),
    Access("mfa_deactivate_totp", LOGGED_IN, probe=False, reason="asks for reauthentication first"),
    Access(
        "mfa_view_recovery_codes", LOGGED_IN, probe=False, reason="asks for reauthentication first"
    ),
    Access(
        "mfa_generate_recovery_codes",
        LOGGED_IN,
        probe=False,
        reason="asks for reauthentication first",
    ),
    Access(
        "mfa_download_recovery_codes",
        LOGGED_IN,
        probe=False,
        reason="asks for reauthentication first",
    ),
]


ACCESS_TABLE: list[Access] = [
    *CORE_ROWS,
    *MEMBERS_ROWS,
    *LOOPBAAN_ROWS,
    *TRAJECTORIES_ROWS,
    *SIGNALS_ROWS,
    *PLANS_ROWS,
    *DASHBOARD_ROWS,
    *LABOURMARKET_ROWS,
    *REGIONS_ROWS,
    *REFERRALS_ROWS,
    *PAGES_ROWS,
    *MEETINGS_ROWS,
    *CASEWORK_ROWS,
]
