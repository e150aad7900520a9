"""Access-table rows for the information pages (merged into tests/access_table.py).

The pages are public; only admins edit them. The seeded pages come from pages' data migration.
"""

from tests.access_table_base import ADMIN, EVERYONE, Access

ADMINS = frozenset({ADMIN})
SLUG = "ontslag-wat-nu"

ROWS: list[Access] = [
    Access("pages:index", EVERYONE),
    Access("pages:page", EVERYONE, kwargs=lambda cast: {"slug": SLUG}),
    Access("pages:manage", ADMINS),
    Access("pages:edit", ADMINS, kwargs=lambda cast: {"slug": SLUG}, methods=("GET", "POST")),
    Access("pages:versions", ADMINS, kwargs=lambda cast: {"slug": SLUG}),
    Access("pages:version", ADMINS, kwargs=lambda cast: {"slug": SLUG, "number": 1}),
    Access(
        "pages:restore",
        ADMINS,
        probe=False,
        reason="POST only; tested in tests/pages/test_editing.py",
        methods=("POST",),
    ),
]
