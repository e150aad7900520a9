"""Reading a set-up file: the member import's readers, with the bounds of a small file.

A set-up file lists people or places of the union, a few hundred rows at most; it is read
whole into memory (`SetupTable`), so the file and what an XLSX archive holds unpacked are
bounded well below the member import's limits.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field

from members.importing.format import ImportRefused, normalise_header
from members.importing.reading import inspect_file, open_table
from members.importing.xlsx import XlsxLimits

MIB = 1024 * 1024
SETUP_MAX_BYTES = 2 * MIB
SETUP_MAX_ROWS = 5000
SETUP_XLSX_LIMITS = XlsxLimits(
    unpacked=16 * MIB, shared_strings=4 * MIB, part=8 * MIB, rows=SETUP_MAX_ROWS, cells=200_000
)
# Characters below the space, but tab: a name or address holds none (a NUL cannot come from
# a CSV file, the reader refuses it; an XLSX cell could hold the others).
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True)
class SetupColumn:
    header: str  # the Dutch column name as documented
    key: str  # the name the checker uses
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the documented column name, or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"Regel {self.line}, kolom ‘{self.column}’: {self.message}"
        return f"Regel {self.line}: {self.message}"


@dataclass
class SetupTable:
    keys: list[str]  # the keys of the columns the file has
    rows: list[tuple[int, dict[str, str]]]  # (line in the file, value per key)
    label: str = ""  # "CSV (Windows-1252, puntkomma)"
    sha256: str = ""
    extra: list[RowError] = field(default_factory=list)  # rows with more values than columns


def plain(value: str) -> str:
    """'Midden-Utrecht ' → 'middenutrecht', 'Regiocoördinator' → 'regiocoordinator'."""
    return normalise_header(value)


def split_list(value: str) -> list[str]:
    """'AM13, Utrecht ;AM18' → ['AM13', 'Utrecht', 'AM18'] (empty parts dropped)."""
    return [part.strip() for part in re.split(r"[,;\n]", value) if part.strip()]


def map_columns(header: list[str], columns: list[SetupColumn], *, what: str) -> list[str | None]:
    """The key of each column of the file (None for a nameless column); refuses unknown,
    doubled or missing columns with a Dutch message."""
    names: dict[str, SetupColumn] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            names[plain(name)] = column
    mapped: list[str | None] = []
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for name in header:
        key = plain(name)
        if not key:
            mapped.append(None)
            continue
        found = names.get(key)
        if found is None:
            unknown.append(_shown(name))
            mapped.append(None)
            continue
        if found.key in seen:
            raise ImportRefused(
                f"De kolom ‘{found.header}’ staat twee keer in de kopregel "
                f"(‘{seen[found.key]}’ en ‘{_shown(name)}’). Laat er één staan."
            )
        seen[found.key] = _shown(name)
        mapped.append(found.key)
    allowed = ", ".join(column.header for column in columns)
    if unknown and not seen and len(header) == 1:
        raise ImportRefused(
            "De kopregel valt niet in kolommen uiteen: het scheidingsteken wordt niet herkend. "
            f"Gebruik een puntkomma (;), komma (,) of tab tussen de kolommen: {allowed}."
        )
    if unknown:
        raise ImportRefused(
            ("Onbekende kolommen: " if len(unknown) > 1 else "Onbekende kolom: ")
            + ", ".join(f"‘{name}’" for name in unknown)
            + f". Een {what} kent de kolommen: {allowed}."
        )
    missing = [column.header for column in columns if column.required and column.key not in seen]
    if missing:
        raise ImportRefused(
            (
                "Verplichte kolommen ontbreken: "
                if len(missing) > 1
                else "Verplichte kolom ontbreekt: "
            )
            + ", ".join(f"‘{name}’" for name in missing)
            + f". Een {what} kent de kolommen: {allowed}."
        )
    return mapped


def _shown(name: str) -> str:
    """A header cell as it may be quoted back: without control characters, at most 60."""
    text = CONTROL.sub("", unicodedata.normalize("NFC", name)).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def read_setup_file(path: str, columns: list[SetupColumn], *, what: str) -> SetupTable:
    """The file's rows by column key; `ImportRefused` (Dutch) when the file cannot be one."""
    size = os.path.getsize(path)
    if size > SETUP_MAX_BYTES:
        raise ImportRefused(
            f"Het bestand is te groot ({size / MIB:.1f} MB) voor een {what}; de grens is "
            f"{SETUP_MAX_BYTES // MIB} MB. Controleer of je het goede bestand hebt gekozen."
        )
    info = inspect_file(path, SETUP_XLSX_LIMITS)
    table = open_table(info)
    try:
        keys = map_columns(table.header, columns, what=what)
        result = SetupTable(
            keys=[key for key in keys if key], rows=[], label=info.label, sha256=info.sha256
        )
        width = len(keys)
        for line, values in table.rows:
            if not any(value.strip() for value in values):
                continue  # an empty row
            if len(result.rows) >= SETUP_MAX_ROWS:
                raise ImportRefused(
                    f"Het bestand heeft meer dan {SETUP_MAX_ROWS} rijen; een {what} is kleiner. "
                    "Controleer of je het goede bestand hebt gekozen."
                )
            if any(value.strip() for value in values[width:]):
                result.extra.append(
                    RowError(
                        line,
                        "",
                        f"deze regel heeft meer velden ({len(values)}) dan de kopregel "
                        f"kolommen ({width}). Staat er een scheidingsteken in een waarde? "
                        "Zet die waarde dan tussen aanhalingstekens.",
                    )
                )
            padded = (list(values) + [""] * width)[:width]
            result.rows.append(
                (line, {key: value.strip() for key, value in zip(keys, padded, strict=True) if key})
            )
    finally:
        table.close()
    return result


def read_setup_bytes(data: bytes, columns: list[SetupColumn], *, what: str) -> SetupTable:
    """As `read_setup_file`, for an upload held in memory (the admin's import)."""
    if len(data) > SETUP_MAX_BYTES:
        raise ImportRefused(
            f"Het bestand is te groot ({len(data) / MIB:.1f} MB) voor een {what}; de grens is "
            f"{SETUP_MAX_BYTES // MIB} MB. Controleer of je het goede bestand hebt gekozen."
        )
    handle, path = tempfile.mkstemp(suffix=".upload")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        return read_setup_file(path, columns, what=what)
    finally:
        os.remove(path)


def text_error(value: str, *, max_length: int) -> str:
    """Why a free-text cell cannot be stored, or "" when it can."""
    if CONTROL.search(value):
        return "bevat een onzichtbaar stuurteken (zoals een regeleinde of nul-teken); haal het weg."
    if len(value) > max_length:
        return f"is {len(value)} tekens lang; er passen er {max_length}. Maak de waarde korter."
    return ""


YES = {"ja", "j", "yes", "y", "1", "waar", "true", "x"}
NO = {"nee", "n", "no", "0", "onwaar", "false", ""}


def yes_no(value: str) -> bool | None:
    """'ja' → True, 'nee' or empty → False, anything else → None."""
    key = plain(value)
    if key in YES:
        return True
    if key in NO:
        return False
    return None
