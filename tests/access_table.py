"""The access table: every URL pattern of the project, and who may use it.

`tests/test_access.py` walks Django's URL resolver and fails on any pattern without a row here,
so every new view must state who may see it; the same rows drive the probe that requests each
URL as every role. Rows are keyed by URL name; a name ending in ":" covers a whole namespace
(the Django admin). Several rows may share a name (own object / foreign object).

Roles: "anonymous" plus the values of members.models.Role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from members.models import Role

ANONYMOUS = "anonymous"
MEMBER = Role.MEMBER.value
CONSULTANT = Role.CONSULTANT.value
ADVISER = Role.ADVISER.value
REGIONAL_OFFICIAL = Role.REGIONAL_OFFICIAL.value
COORDINATOR = Role.COORDINATOR.value
SECTOR_OFFICIAL = Role.SECTOR_OFFICIAL.value
ADMIN = Role.ADMIN.value

LOGGED_IN = frozenset(Role.values)
EVERYONE = LOGGED_IN | {ANONYMOUS}
STAFF = LOGGED_IN - {MEMBER}
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Access:
    name: str
    allowed: frozenset[str]
    kwargs: Callable[[object], dict] | None = None  # cast -> reverse() kwargs
    label: str = ""
    # GET-probe the URL as every role. False only for URLs that cannot be probed with a plain
    # GET (POST-only actions, one-time keys); `reason` says why and where they are tested.
    probe: bool = True
    reason: str = ""
    methods: tuple[str, ...] = field(default=("GET",))


ACCESS_TABLE: list[Access] = [
    # --- portal -------------------------------------------------------------------------
    Access("home", EVERYONE),
    Access("healthz", EVERYONE),
    Access(
        "set_language",
        EVERYONE,
        probe=False,
        reason="POST only; tested in tests/fnvregio/test_i18n.py",
    ),
    Access("admin:", frozenset({ADMIN})),
    # --- regions (public reference data) --------------------------------------------------
    Access("regions:list", EVERYONE),
    Access("regions:detail", EVERYONE, kwargs=lambda cast: {"code": "AM13"}),
    # --- allauth: login, logout, password reset, two-factor -------------------------------
    Access("account_login", EVERYONE),
    Access(
        "account_logout",
        EVERYONE,
        probe=False,
        reason="POST to log out; tested in tests/members/test_login.py",
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
        reason="needs a one-time key; tested in tests/members/test_login.py",
    ),
    Access("mfa_index", LOGGED_IN),
    Access(
        "mfa_authenticate",
        EVERYONE,
        probe=False,
        reason="only inside a login flow; tested in tests/members/test_login.py",
    ),
    Access(
        "mfa_reauthenticate", LOGGED_IN, probe=False, reason="only inside a reauthentication flow"
    ),
    Access(
        "mfa_activate_totp",
        LOGGED_IN,
        probe=False,
        reason="redirects once TOTP is active; tested in tests/members/test_login.py",
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
