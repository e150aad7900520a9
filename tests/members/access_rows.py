"""Access-table rows for this app's URLs (merged into tests/access_table.py)."""

from tests.access_table_base import (
    ADMIN,
    ADVISER,
    CONSULTANT,
    COORDINATOR,
    EVERYONE,
    MEMBER,
    Access,
)


def _import(cast):
    from members.models import MemberImport

    member_import = MemberImport.objects.create(
        created_by=cast.admin, file_name="leden.csv", status="done"
    )
    return {"pk": member_import.pk}


ONLY_ADMIN = frozenset({ADMIN})
ONLY_MEMBER = frozenset({MEMBER})

ROWS: list[Access] = [
    Access("members:import_list", ONLY_ADMIN),
    Access("members:import_detail", ONLY_ADMIN, kwargs=_import),
    Access("members:import_progress", ONLY_ADMIN, kwargs=_import),
    Access(
        "members:import_confirm",
        ONLY_ADMIN,
        kwargs=_import,
        probe=False,
        reason="POST only; tested in tests/members/test_import_views.py",
    ),
    Access("members:import_cancel", ONLY_ADMIN, kwargs=_import),
    Access(
        "members:import_retry",
        ONLY_ADMIN,
        kwargs=_import,
        probe=False,
        reason="POST only; tested in tests/members/test_import_interrupted.py",
    ),
    Access("members:import_rejected_csv", ONLY_ADMIN, kwargs=_import),
    Access("members:export", ONLY_ADMIN),
    # The employer search of the outcome and collective-case forms (htmx).
    Access("members:employer_search", frozenset({ADVISER, COORDINATOR, CONSULTANT, ADMIN})),
    Access("members:erase", ONLY_ADMIN, kwargs=lambda cast: {"pk": cast.other_member.pk}),
    Access("members:activate", EVERYONE),
    Access(
        "members:activate_confirm",
        EVERYONE,
        probe=False,
        reason="needs a one-time signed token; tested in tests/members/test_member_access.py",
    ),
    Access(
        "mfa_invitation",
        EVERYONE,
        probe=False,
        reason="needs a one-time signed token; tested in tests/fnvregio/test_mfa_enrolment.py",
    ),
    Access("members:my_data", ONLY_MEMBER),
    Access("members:correction", ONLY_MEMBER),
    Access("members:my_data_download", ONLY_MEMBER, kwargs=lambda cast: {"fmt": "json"}),
    Access(
        "members:my_data_download",
        ONLY_MEMBER,
        kwargs=lambda cast: {"fmt": "html"},
        label="html",
    ),
]
