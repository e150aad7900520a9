"""Access-table rows for this app's URLs (merged into tests/access_table.py)."""

from tests.access_table_base import (
    ADMIN,
    COORDINATOR,
    NOBODY,
    REGIONAL_OFFICIAL,
    Access,
)
from tests.plans.helpers import make_plan, plan_with_versions

PLAN_ROLES = frozenset({REGIONAL_OFFICIAL, COORDINATOR})
POST_ONLY = (
    "POST only; the outsider's 404 and the refused change are tested in tests/plans/test_views.py"
)


def _own(cast):
    return {"pk": make_plan(cast.region).pk}


def _foreign(cast):
    return {"pk": make_plan(cast.other_region).pk}


def _own_section(cast):
    return {**_own(cast), "section": "themes"}


def _foreign_section(cast):
    return {**_foreign(cast), "section": "themes"}


def _own_version(cast):
    return {"pk": plan_with_versions(cast.region).pk, "number": 1}


def _foreign_version(cast):
    return {"pk": plan_with_versions(cast.other_region).pk, "number": 1}


def _own_versions(cast):
    return {"pk": plan_with_versions(cast.region).pk}


def _foreign_versions(cast):
    return {"pk": plan_with_versions(cast.other_region).pk}


ROWS: list[Access] = [
    Access("plans:overview", frozenset({REGIONAL_OFFICIAL, COORDINATOR, ADMIN})),
    Access("plans:awaiting", frozenset({COORDINATOR})),
    Access("plans:start", frozenset({REGIONAL_OFFICIAL})),
    Access("plans:preview", frozenset({REGIONAL_OFFICIAL}), probe=False, reason=POST_ONLY),
    Access(
        "plans:region_deadline",
        frozenset({COORDINATOR}),
        probe=False,
        reason=POST_ONLY,
        methods=("POST",),
    ),
    Access("plans:detail", PLAN_ROLES, kwargs=_own),
    Access("plans:detail", NOBODY, kwargs=_foreign, label="foreign"),
    Access("plans:edit", frozenset({REGIONAL_OFFICIAL}), kwargs=_own),
    Access("plans:edit", NOBODY, kwargs=_foreign, label="foreign"),
    Access(
        "plans:edit_section",
        frozenset({REGIONAL_OFFICIAL}),
        kwargs=_own_section,
        methods=("GET", "POST"),
    ),
    Access("plans:edit_section", NOBODY, kwargs=_foreign_section, label="foreign"),
    Access(
        "plans:autosave",
        frozenset({REGIONAL_OFFICIAL}),
        kwargs=_own_section,
        probe=False,
        reason=POST_ONLY,
        methods=("POST",),
    ),
    Access("plans:transition", PLAN_ROLES, probe=False, reason=POST_ONLY, methods=("POST",)),
    Access("plans:comment_add", PLAN_ROLES, probe=False, reason=POST_ONLY, methods=("POST",)),
    Access("plans:comment_resolve", PLAN_ROLES, probe=False, reason=POST_ONLY, methods=("POST",)),
    Access(
        "plans:note_add", frozenset({COORDINATOR}), probe=False, reason=POST_ONLY, methods=("POST",)
    ),
    Access(
        "plans:deadline", frozenset({COORDINATOR}), probe=False, reason=POST_ONLY, methods=("POST",)
    ),
    Access(
        "plans:next_year",
        frozenset({REGIONAL_OFFICIAL}),
        probe=False,
        reason=POST_ONLY,
        methods=("POST",),
    ),
    Access("plans:version", PLAN_ROLES, kwargs=_own_version),
    Access("plans:version", NOBODY, kwargs=_foreign_version, label="foreign"),
    Access("plans:compare", PLAN_ROLES, kwargs=_own_versions),
    Access("plans:compare", NOBODY, kwargs=_foreign_versions, label="foreign"),
    Access("plans:print", PLAN_ROLES, kwargs=_own),
    Access("plans:print", NOBODY, kwargs=_foreign, label="foreign"),
]
