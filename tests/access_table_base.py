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

from core.roles import Role

ANONYMOUS = "anonymous"
MEMBER = Role.MEMBER.value
CONSULTANT = Role.CONSULTANT.value
ADVISER = Role.ADVISER.value
REGIONAL_OFFICIAL = Role.REGIONAL_OFFICIAL.value
COORDINATOR = Role.COORDINATOR.value
SECTOR_OFFICIAL = Role.SECTOR_OFFICIAL.value
LEGAL = Role.LEGAL.value
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
