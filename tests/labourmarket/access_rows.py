"""Access-table rows for the labour-market upload (merged into tests/access_table.py)."""

from tests.access_table_base import ADMIN, Access

ROWS: list[Access] = [
    Access("labourmarket:upload", frozenset({ADMIN}), methods=("GET", "POST")),
]
