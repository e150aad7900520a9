"""The member import: ONE definition of the file format and its validation, used by every path.

The portal's background import and the `import_members` command call `validate_import`
(stream-parse, check every row, COPY the good rows into a staging table, count what would
change) and then `apply_import` (a few set-based statements in one transaction). The admin's
small-file import (members/admin_import.py) reads the file with the same `inspect_file` and
`open_table`, maps the header with `map_header` and checks every row with the same `RowChecker`;
django-import-export then saves the rows.

The format (docs/member-import.md):

- CSV (delimiter `;`, `,` or tab, detected; UTF-8, UTF-8 with BOM or cp1252, detected; quoted
  fields may hold delimiters and line breaks) or XLSX (first sheet).
- Dutch column names, matched without regard to case, spaces, punctuation and accents. Only
  `lidnummer` and `achternaam` are required. A column absent from the file leaves that field
  untouched; an empty cell clears it (an empty `status` leaves it as it is; new members are
  active).
- Dates `d-m-jjjj`, `dd-mm-jjjj` or `jjjj-mm-dd`.
- A member number twice in one file rejects both rows.

Memory stays bounded: rows are streamed from the file straight into PostgreSQL (`COPY`), and
rejected rows are written in batches; nothing holds the whole file.

The modules, from the bottom up: `format` (columns, header), `xlsx` (what an XLSX archive
holds, checked before it is parsed), `reading` (file type, encoding, rows), `checking`
(`RowChecker`), `locks` (is a check or apply running?), `staging` (staging table, rejected rows,
upload file), `status` (how an import ends unapplied: refused, cancelled, failed, interrupted,
abandoned), `applying` (the set-based SQL), `parallel` (the two-process check), `validating`
(file → staging), `report`. This package exposes what the rest of the app uses; the admin's
import and the tests reach into the modules themselves.
"""

from members.importing.applying import apply_import, can_apply
from members.importing.format import ImportRefused
from members.importing.locks import import_is_running
from members.importing.reading import max_bytes, too_large_message
from members.importing.report import rejected_rows_csv, report_lines
from members.importing.staging import delete_upload, drop_staging, staging_exists
from members.importing.status import cancel_import
from members.importing.validating import validate_import

__all__ = [
    "ImportRefused",
    "apply_import",
    "can_apply",
    "cancel_import",
    "delete_upload",
    "drop_staging",
    "import_is_running",
    "max_bytes",
    "rejected_rows_csv",
    "report_lines",
    "staging_exists",
    "too_large_message",
    "validate_import",
]
