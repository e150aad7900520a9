"""Access-table rows for this app's URLs (merged into tests/access_table.py)."""

from tests.access_table_base import Access  # noqa: F401  (used by the rows below)

ROWS: list[Access] = []
