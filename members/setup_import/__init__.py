"""Setting up a region in an hour: staff accounts, union houses and sectors from a file.

Each import reads its file with the member import's readers (members/importing/reading.py:
type by content, UTF-8 with or without BOM or cp1252, `;` `,` or tab, XLSX checked before it
is parsed), with bounds for small files (`table`). It checks every row and names each bad one
with its line and column in Dutch; a file with any bad row imports nothing. The check gives a
plan (new, changed, unchanged, and what is missing from the file); applying the plan writes the
audit trail. The same check and plan serve the management commands (`import_staff`,
`import_houses`, `import_sectors`) and django-import-export's preview in the admin
(`resources`, `admin`). docs/setting-up-a-region.md describes the files.

Modules: `table` (reading a set-up file), `staff`, `sectors`, `houses` (check, plan, apply),
`resources` (django-import-export), `admin` (the admin's import buttons), `report` (the
summary the commands print).
"""
