"""The member file's format: its columns, how a header maps onto them, the staging columns.

One definition for every import path (docs/member-import.md).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str  # the Dutch column name as documented
    field: str  # Member field (or a helper key for werkgever/kvk)
    kind: str
    max_length: int = 0
    required: bool = False


COLUMNS: list[Column] = [
    Column("lidnummer", "member_number", "member_number", required=True),
    Column("voorletters", "initials", "text", 20),
    Column("voornaam", "first_name", "text", 80),
    Column("tussenvoegsel", "name_prefix", "text", 20),
    Column("achternaam", "last_name", "text", 120, required=True),
    Column("e-mail", "email", "email", 254),
    Column("telefoon", "phone", "text", 30),
    Column("straat", "street", "text", 120),
    Column("huisnummer", "house_number", "text", 20),
    Column("postcode", "postcode", "postcode", 7),
    Column("woonplaats", "city", "text", 80),
    Column("gemeente", "municipality", "municipality"),
    Column("geboortedatum", "birth_date", "birth_date"),
    Column("sector", "sector", "sector"),
    Column("werkgever", "employer", "employer_name", 200),
    Column("kvk-nummer", "kvk", "kvk", 8),
    Column("status", "status", "status"),
    Column("lid sinds", "member_since", "date"),
]


@functools.lru_cache(maxsize=65536)
def normalise_header(value: str) -> str:
    """'E-mail ' → 'email', 'Geboorte datum' → 'geboortedatum', 'Beëindigd' → 'beeindigd'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", plain.lower())


HEADERS: dict[str, Column] = {normalise_header(column.header): column for column in COLUMNS}
HEADERS.update(
    {
        "emailadres": HEADERS["email"],
        "telefoonnummer": HEADERS["telefoon"],
        "kvk": HEADERS["kvknummer"],
        "kvknr": HEADERS["kvknummer"],
    }
)
REQUIRED = [column for column in COLUMNS if column.required]

STATUSES = {"actief": "active", "geschorst": "suspended", "beeindigd": "ended"}

# The staging table: one row per good file row, in this column order.
STAGING_COLUMNS = [
    ("line", "integer"),
    ("member_number", 'varchar(10) COLLATE "C"'),
    ("initials", "varchar(20)"),
    ("first_name", "varchar(80)"),
    ("name_prefix", "varchar(20)"),
    ("last_name", "varchar(120)"),
    ("email", "varchar(254)"),
    ("phone", "varchar(30)"),
    ("street", "varchar(120)"),
    ("house_number", "varchar(20)"),
    ("postcode", "varchar(7)"),
    ("city", "varchar(80)"),
    ("municipality_id", "bigint"),
    ("region_id", "bigint"),
    ("birth_date", "date"),
    ("sector_id", "bigint"),
    ("employer_id", "bigint"),
    ("employer_key", "text"),
    ("status", "varchar(10)"),
    ("member_since", "date"),
    # The row's hash (RowChecker.row_hashes), stored on the member when the import writes it.
    ("row_hash", "bigint"),
    # True for a row found unchanged by its hash: only its line and member number are staged
    # (for the duplicate check and a snapshot's endings); it is not checked and not written.
    ("unchanged", "boolean"),
]
STAGING_INDEX = {name: index for index, (name, _) in enumerate(STAGING_COLUMNS)}
TEXT_FIELDS = [
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "city",
]


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message is Dutch and names the problem."""


class ImportCancelled(Exception):
    pass


# --- Checking the header -------------------------------------------------------------------


def map_header(header: list[str]) -> list[Column | None]:
    """Columns in file order (None for a nameless, empty column); refuses unknown or missing ones."""
    mapped: list[Column | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for name in header:
        key = normalise_header(name)
        if not key:
            mapped.append(None)
            continue
        column = HEADERS.get(key)
        if column is None:
            unknown.append(name.strip())
            mapped.append(None)
            continue
        if column.field in seen:
            raise ImportRefused(
                f"De kolom ‘{column.header}’ staat twee keer in de kopregel (‘{seen[column.field]}’ en ‘{name.strip()}’)."
            )
        seen[column.field] = name.strip()
        mapped.append(column)
    if unknown and not seen:
        joined = " ".join(unknown)
        other = [d for d in ("|", ":", "/", "\t", ",", ";") if d in joined]
        if other or any(key in normalise_header(joined) for key in ("lidnummer", "achternaam")):
            raise ImportRefused(
                "Het scheidingsteken van dit bestand wordt niet herkend: de kopregel valt niet in kolommen uiteen. "
                "Gebruik een puntkomma (;), komma (,) of tab tussen de kolommen."
            )
    if unknown:
        allowed = ", ".join(column.header for column in COLUMNS)
        raise ImportRefused(
            "Onbekende kolom"
            + ("men" if len(unknown) > 1 else "")
            + ": "
            + ", ".join(f"‘{name}’" for name in unknown)
            + f". Toegestane kolommen: {allowed}."
        )
    missing = [column.header for column in REQUIRED if column.field not in seen]
    if missing:
        raise ImportRefused(
            "Verplichte kolom"
            + ("men ontbreken" if len(missing) > 1 else " ontbreekt")
            + ": "
            + ", ".join(f"‘{name}’" for name in missing)
            + "."
        )
    return mapped
