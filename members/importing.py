"""The member import: ONE definition of the file format and its validation, used by every path.

The portal's background import, the `import_members` command and the admin all call
`validate_import` (stream-parse, check every row, COPY the good rows into a staging table, count
what would change) and then `apply_import` (a few set-based statements in one transaction).

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
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from members.models import (
    MEMBER_NUMBER_RE,
    Employer,
    ErasedMember,
    ImportMode,
    ImportStatus,
    MemberImport,
    MemberImportError,
    Sector,
    normalise_postcode,
)

# --- The format ----------------------------------------------------------------------------


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

PROGRESS_EVERY = 20_000
BATCH_ROWS = 5_000
BULK_LOCK_TIMEOUT = "5s"  # how long a bulk load waits for the members table
WORK_MEM = "64MB"
HEAD_BYTES = 8192


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message is Dutch and names the problem."""


class ImportCancelled(Exception):
    pass


# --- Reading the file ----------------------------------------------------------------------


@dataclass
class FileInfo:
    path: str
    size: int
    sha256: str
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    limits: XlsxLimits | None = None  # the bounds an XLSX file was checked against

    @property
    def label(self) -> str:
        if self.kind == "xlsx":
            return "Excel (.xlsx)"
        names = {";": "puntkomma", ",": "komma", "\t": "tab"}
        encodings = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 met BOM", "cp1252": "Windows-1252"}
        return f"CSV ({encodings.get(self.encoding, self.encoding)}, {names.get(self.delimiter, self.delimiter)})"


def max_bytes() -> int:
    return int(settings.FNV["IMPORT_MAX_BYTES"])


def too_large_message(size: int) -> str:
    limit_mb = max_bytes() / (1024 * 1024)
    return (
        f"Het bestand is te groot ({size / (1024 * 1024):.1f} MB); "
        f"de grens is {limit_mb:.0f} MB. Splits het bestand of vraag de beheerder de grens te verhogen."
    )


def inspect_file(path: str, limits: XlsxLimits | None = None) -> FileInfo:
    """Size, type by content, hash and encoding; refuses what cannot be a member file.

    The size is checked before anything is read; the hash and encoding take one streaming pass.
    An XLSX file is a zip archive: what it holds unpacked is checked (`check_xlsx`) before
    openpyxl reads any of it.
    """
    size = os.path.getsize(path)
    if size > max_bytes():
        raise ImportRefused(too_large_message(size))
    if size == 0:
        raise ImportRefused("Het bestand is leeg.")
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        limits = limits or XlsxLimits.portal()
        check_xlsx(path, limits)
        return FileInfo(path, size, _sha256(path), "xlsx", limits=limits)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "Dit is een oud Excel-bestand (.xls). Sla het op als Excel-werkmap (.xlsx) of als CSV."
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(
            "Dit bestand is opgeslagen als UTF-16 (Unicode-tekst). Sla het op als CSV (UTF-8) of CSV (gescheiden door lijstscheidingsteken)."
        )
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise ImportRefused(
            "Dit is geen CSV- of Excel-bestand: de inhoud is binair. Kies een .csv- of .xlsx-bestand."
        )
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        # The first 8 KB hold only white space; a file of only white space is empty.
        with open(path, "rb") as handle:
            if not handle.read().strip(b" \t\r\n\xef\xbb\xbf"):
                raise ImportRefused("Het bestand is leeg.")
    digest, encoding = _hash_and_encoding(path)
    return FileInfo(path, size, digest, "csv", encoding=encoding)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _hash_and_encoding(path: str) -> tuple[str, str]:
    """One pass: SHA-256 and 'is this UTF-8?'. Not UTF-8 → a second pass checks cp1252."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8_error: tuple[int, bool] | None = None  # (line, valid non-ASCII text seen before it)
    lines_before = 0
    saw_non_ascii = False
    with open(path, "rb") as handle:
        has_bom = handle.read(3) == codecs.BOM_UTF8
        handle.seek(0)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if b"\x00" in chunk:
                line = lines_before + chunk.count(b"\n", 0, chunk.index(b"\x00")) + 1
                raise ImportRefused(
                    f"Regel {line} bevat een nul-teken: dit deel van het bestand is binair. Sla het bestand opnieuw op als CSV."
                )
            if utf8_error is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    utf8_error = (
                        lines_before + chunk.count(b"\n", 0, max(error.start, 0)) + 1,
                        saw_non_ascii or not chunk[: error.start].isascii(),
                    )
                else:
                    saw_non_ascii = saw_non_ascii or not chunk.isascii()
            lines_before += chunk.count(b"\n")
        if utf8_error is None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_error = (lines_before + 1, saw_non_ascii)
    if utf8_error is None:
        return digest.hexdigest(), "utf-8-sig" if has_bom else "utf-8"
    line, looks_like_utf8 = utf8_error
    if has_bom or looks_like_utf8:
        raise ImportRefused(
            f"Regel {line} bevat tekens die geen geldige UTF-8 zijn, terwijl de rest van het bestand UTF-8 is. Controleer die regel en sla het bestand opnieuw op als CSV (UTF-8)."
        )
    # Not UTF-8: Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)" is cp1252.
    decoder = codecs.getincrementaldecoder("cp1252")()
    lines_before = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = lines_before + chunk.count(b"\n", 0, error.start) + 1
                raise ImportRefused(
                    f"Regel {line} bevat tekens die niet te lezen zijn (geen UTF-8 en geen Windows-1252). Sla het bestand opnieuw op als CSV (UTF-8)."
                ) from None
            lines_before += chunk.count(b"\n")
    return digest.hexdigest(), "cp1252"


def _detect_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number in the file, cell values)
    position: Callable[[], int]  # bytes read so far, for progress
    close: Callable[[], None]


def open_table(info: FileInfo) -> Table:
    if info.kind == "xlsx":
        return _open_xlsx(info)
    return _open_csv(info)


@dataclass(frozen=True)
class Part:
    """A stretch of a CSV file that starts at a record boundary: bytes [start, end)."""

    start: int
    end: int
    first_line: int  # the line number of its first row


SPLIT_SENTINEL = "\x00deel\n"  # NUL cannot occur in an accepted file


class _ByteRange(io.RawIOBase):
    def __init__(self, handle, end: int):
        self.handle, self.remaining = handle, end - handle.tell()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self.remaining)
        if size <= 0:
            return 0
        read = self.handle.readinto(memoryview(buffer)[:size])
        self.remaining -= read
        return read

    def tell(self) -> int:
        return self.handle.tell()

    def close(self) -> None:
        self.handle.close()
        super().close()


def _open_csv(info: FileInfo, part: Part | None = None) -> Table:
    """The header and the rows of a CSV file, or of one part of it (`part`)."""
    raw = open(info.path, "rb")  # noqa: SIM115 (closed by Table.close)
    text = io.TextIOWrapper(raw, encoding=info.encoding, newline="")
    first_line = text.readline()
    if not first_line.strip():
        raw.close()
        raise ImportRefused("De eerste regel van het bestand is leeg; daar horen de kolomnamen.")
    info.delimiter = _detect_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=info.delimiter))
    lines_before = 1  # the header
    source: Iterator[str] = text
    if part is not None:
        # Read only the part's bytes. A sentinel line after them shows whether the part ended
        # on a record boundary: inside an open quoted field it would become part of a value.
        text.detach()
        raw.seek(part.start)
        text = io.TextIOWrapper(
            io.BufferedReader(_ByteRange(raw, part.end), 1 << 16),
            encoding=info.encoding.removesuffix("-sig"),
            newline="",
        )
        lines_before = part.first_line - 1
        source = itertools.chain(text, [SPLIT_SENTINEL])
    reader = csv.reader(source, delimiter=info.delimiter, strict=False)
    sentinel = [SPLIT_SENTINEL[:-1]]

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous = lines_before
        ended_cleanly = part is None
        try:
            for values in reader:
                if values == sentinel:
                    ended_cleanly = True
                    break
                line = previous + 1
                previous = reader.line_num + lines_before
                yield line, values
        except csv.Error:
            raise ImportRefused(
                f"Regel {previous + 1} kan niet worden gelezen: een veld is langer dan "
                f'{csv.field_size_limit()} tekens. Controleer of een aanhalingsteken (") niet gesloten is.'
            ) from None
        if not ended_cleanly:
            raise PartMismatch

    # The table holds `text`: a wrapper that is collected closes the file under it.
    return Table(header, rows(), raw.tell, text.close)


class PartMismatch(Exception):
    """A part did not end on a record boundary (a stray quote fooled the split): check whole."""


def split_csv(path: str, size: int) -> tuple[Part, Part] | None:
    """The rows of a CSV file in two halves, split at a record boundary near the middle.

    A line break ends a record when an even number of quote characters precede it (quotes
    inside quoted fields are doubled). Lines are counted as the csv reader counts them:
    \r\n, \n and \r each end one. Reads the file in chunks. None when there is no boundary.
    """
    quotes = lines = 0
    header_end = offset = 0
    carriage_return = False  # the previous chunk ended in \r

    def count(chunk: bytes) -> None:
        nonlocal quotes, lines, carriage_return
        quotes += chunk.count(b'"')
        lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
        if carriage_return and chunk.startswith(b"\n"):
            lines -= 1  # a \r\n across two chunks is one line break
        carriage_return = chunk.endswith(b"\r")

    with open(path, "rb") as handle:
        while chunk := handle.read(min(1 << 20, max(0, size // 2 - offset)) or 1 << 16):
            if not header_end and b"\n" in chunk:
                header_end = offset + chunk.index(b"\n") + 1
            if offset + len(chunk) <= size // 2:
                count(chunk)
                offset += len(chunk)
                continue
            # Past the middle: look for a line break with an even number of quotes before it.
            position = 0
            while (newline := chunk.find(b"\n", position)) >= 0:
                count(chunk[position : newline + 1])
                position = newline + 1
                if quotes % 2 == 0:
                    start = offset + position
                    if start >= size or not 0 < header_end < start:
                        return None
                    return Part(header_end, start, 2), Part(start, size, lines + 1)
            count(chunk[position:])
            offset += len(chunk)
    return None


# --- XLSX: what the archive holds, checked before it is parsed ------------------------------
#
# An .xlsx file is a zip archive of XML parts, and the upload limit counts its compressed
# bytes only. A 205 KB file can hold a 200 MB shared string (openpyxl keeps every shared
# string in memory; that file took a worker from 100 to 312 MB, and 1 GiB took it to 1.7 GB).
# So before openpyxl reads anything, every part is inflated here, a chunk at a time, and
# counted: the real bytes, not what the archive's central directory says (it can lie). The
# same pass bounds the longest text, the number of rows and cells and the size of one row,
# and refuses DTDs (entity expansion). Memory stays at about two chunks.

MIB = 1024 * 1024
XLSX_CHUNK = MIB
XLSX_MAX_COLUMNS = 256  # the header has at most 18 named columns; a row is read this wide


@dataclass(frozen=True)
class XlsxLimits:
    """Bounds on what an XLSX file holds unpacked (settings.FNV may override the defaults)."""

    unpacked: int = 512 * MIB  # all parts together
    # xl/sharedStrings.xml: openpyxl keeps every shared string in memory, short ones at about
    # 6.5 times their size in the file (31 MiB of them took a worker from 79 to 285 MB).
    shared_strings: int = 32 * MIB
    part: int = 32 * MIB  # any other part but a worksheet (styles, workbook, ...)
    ratio: int = 100  # unpacked / packed, for parts above 1 MiB
    text: int = 256 * 1024  # bytes between two '<': the longest text or value
    row: int = MIB  # bytes of one worksheet row
    rows: int = 1_048_576  # Excel's own maximum
    cells: int = 20_000_000
    parts: int = 1000  # entries in the archive
    directory: int = MIB  # bytes of the central directory

    @classmethod
    def portal(cls) -> XlsxLimits:
        fnv = settings.FNV
        return cls(
            unpacked=int(fnv.get("IMPORT_XLSX_MAX_UNPACKED", cls.unpacked)),
            shared_strings=int(fnv.get("IMPORT_XLSX_MAX_SHARED_STRINGS", cls.shared_strings)),
            rows=int(fnv.get("IMPORT_XLSX_MAX_ROWS", cls.rows)),
            cells=int(fnv.get("IMPORT_XLSX_MAX_CELLS", cls.cells)),
        )


def _mb(size: int) -> str:
    return f"{size / MIB:.0f}" if size >= 10 * MIB else f"{size / MIB:.1f}".replace(".", ",")


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def unpacked_too_large_message(limit: int) -> str:
    return f"Het bestand is uitgepakt groter dan {_mb(limit)} MB; sla het op als CSV of splits het."


XLSX_DAMAGED = "Het Excel-bestand is beschadigd of geen geldig .xlsx-bestand. Open het in Excel en sla het opnieuw op."
XLSX_LYING = (
    "De inhoudsopgave van het Excel-bestand klopt niet met wat erin zit (beschadigd of bewerkt). "
    "Open het in Excel en sla het opnieuw op, of sla het op als CSV."
)


def _zip_directory_extent(handle, size: int, limits: XlsxLimits) -> tuple[int, int]:
    """(entries, bytes) of the central directory, from the end record, before zipfile reads it."""
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise ImportRefused(XLSX_DAMAGED)
    _sig, _disk, _disk_cd, _here, entries, directory, _offset, _comment = struct.unpack(
        "<4s4H2LH", tail[end : end + 22]
    )
    if entries == 0xFFFF or directory == 0xFFFFFFFF:  # zip64: only for archives far too large
        raise ImportRefused(unpacked_too_large_message(limits.unpacked))
    return entries, directory


def _inflate(handle, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, inflated from its compressed bytes a chunk at a time.

    The sizes in the central directory are not trusted: this reads the compressed bytes and
    yields what they really inflate to, however much that is (the caller counts and stops).
    """
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ImportRefused(XLSX_DAMAGED)
    name_length, extra_length = struct.unpack("<2H", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0 and (data := handle.read(min(XLSX_CHUNK, left))):
            left -= len(data)
            yield data
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ImportRefused(
            "Het Excel-bestand is op een ongebruikelijke manier ingepakt. Sla het op als gewone "
            "Excel-werkmap (.xlsx) of als CSV."
        )
    inflater = zlib.decompressobj(-15)
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                data = inflater.decompress(inflater.unconsumed_tail, XLSX_CHUNK)
            else:
                compressed = handle.read(min(XLSX_CHUNK, left)) if left > 0 else b""
                if not compressed:
                    break
                left -= len(compressed)
                data = inflater.decompress(compressed, XLSX_CHUNK)
            if data:
                yield data
    except zlib.error:
        raise ImportRefused(XLSX_DAMAGED) from None


class _XmlScan:
    """Counts in one XML part, fed a chunk at a time: the longest run without '<' (so the
    longest text or attribute value), and in a worksheet its rows, cells and largest row.

    Only bytes.find/count on the chunks (C speed): a run of at least 2B bytes fully contains
    an aligned block of B bytes, so only blocks without the character are measured exactly.
    """

    def __init__(self, limits: XlsxLimits, worksheet: bool, counts: dict[str, int]):
        self.limits, self.worksheet, self.counts = limits, worksheet, counts
        self.carry = b""  # from the last '<' of the previous chunk: a tag may continue
        self.row_tag: bytes | None = None  # b"<row", or b"<x:row" in a sheet with a prefix
        self.row_open: int | None = None  # bytes of the current row so far
        self.rows_done = False

    def feed(self, data: bytes, final: bool = False) -> None:
        buffer = self.carry + data
        cut = len(buffer) if final else buffer.rfind(b"<")
        if cut <= 0:  # no '<' in the buffer beyond its first byte: one long run
            if len(buffer) > self.limits.text:
                self._long_text()
            self.carry = buffer
            return
        part, self.carry = buffer[:cut], buffer[cut:]
        if (
            len(self.carry) > self.limits.text
            or _longest_gap(part, b"<", self.limits.text // 2) > self.limits.text
        ):
            self._long_text()
        if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
            raise ImportRefused(
                "Het Excel-bestand bevat een DTD (<!DOCTYPE>), die in een .xlsx-bestand niet "
                "hoort. Open het in Excel en sla het opnieuw op, of sla het op als CSV."
            )
        if self.worksheet and not self.rows_done:
            self._rows_and_cells(part)

    def _rows_and_cells(self, part: bytes) -> None:
        limits, counts = self.limits, self.counts
        if self.row_tag is None:
            at = part.find(b"sheetData")
            if at < 0:
                return
            self.row_tag = b"<" + part[part.rfind(b"<", 0, at) + 1 : at] + b"row"
            part = part[at + len(b"sheetData") :]
        end = part.find(b"sheetData>")  # the closing tag (the opening one is behind us)
        if end >= 0:
            part = part[:end]
            self.rows_done = True
        prefix = self.row_tag[1:-3]
        counts["cells"] += sum(part.count(b"<" + prefix + b"c" + after) for after in (b" ", b">"))
        if counts["cells"] > limits.cells:
            raise ImportRefused(
                f"Het Excel-bestand heeft meer dan {_count(limits.cells)} cellen; "
                "sla het op als CSV of splits het."
            )
        tag = self.row_tag
        counts["rows"] += sum(part.count(tag + after) for after in (b" ", b">"))
        if counts["rows"] > limits.rows:
            raise ImportRefused(
                f"Het Excel-bestand heeft meer dan {_count(limits.rows)} rijen; "
                "sla het op als CSV of splits het."
            )
        first = part.find(tag)
        if first < 0:
            if self.row_open is not None:
                self.row_open += len(part)
        else:
            if self.row_open is not None:
                self.row_open += first
            last = part.rfind(tag)
            if _longest_gap(part[first:last], tag, limits.row // 2) > limits.row:
                self._large_row()
            self.row_open = len(part) - last
        if self.row_open is not None and self.row_open > limits.row:
            self._large_row()

    def _large_row(self) -> None:
        raise ImportRefused(
            f"Een rij van het Excel-bestand is uitgepakt groter dan {_mb(self.limits.row)} MB; "
            "sla het op als CSV of splits het."
        )

    def _long_text(self) -> None:
        raise ImportRefused(
            f"Het Excel-bestand bevat een tekst of waarde van meer dan "
            f"{self.limits.text // 1024} kB; een ledenbestand heeft zulke lange cellen niet. "
            "Verwijder die tekst, of sla het bestand op als CSV en controleer het."
        )


def _longest_gap(data: bytes, mark: bytes, at_least: int) -> int:
    """The longest stretch of `data` without `mark`, measured exactly only where it could be
    at least `at_least` bytes (so the answer is exact for gaps of 2 × at_least and more)."""
    block = at_least
    longest = 0
    for start in range(0, len(data) - block + 1, block):
        if data.find(mark, start, start + block) < 0:
            before = data.rfind(mark, 0, start)
            after = data.find(mark, start + block)
            before = 0 if before < 0 else before + len(mark)
            after = len(data) if after < 0 else after
            longest = max(longest, after - before)
    return longest


def check_xlsx(path: str, limits: XlsxLimits) -> None:
    """Refuse an XLSX file whose unpacked content exceeds `limits`, before it is parsed.

    First the central directory's own figures (entries, declared sizes, compression ratio),
    then every part inflated and counted for real, stopping at the first bound it passes.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        entries, directory = _zip_directory_extent(handle, size, limits)
        if entries > limits.parts or directory > limits.directory:
            raise ImportRefused(
                "Het Excel-bestand bestaat uit ongewoon veel onderdelen. Open het in Excel en sla "
                "het opnieuw op, of sla het op als CSV."
            )
        try:
            infos = zipfile.ZipFile(handle).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise ImportRefused(XLSX_DAMAGED) from None
        if sum(info.file_size for info in infos) > limits.unpacked:
            raise ImportRefused(unpacked_too_large_message(limits.unpacked))
        for info in infos:
            if info.flag_bits & 0x1:
                raise ImportRefused(
                    "Het Excel-bestand is met een wachtwoord beveiligd. Sla het zonder wachtwoord "
                    "op, of als CSV."
                )
            _check_declared(info, limits)
        total = 0
        counts = {"rows": 0, "cells": 0}
        for info in infos:
            name = info.filename.lower()
            worksheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            cap = _part_cap(name, limits, worksheet)
            scan = _XmlScan(limits, worksheet, counts) if name.endswith((".xml", ".rels")) else None
            real = 0
            for data in _inflate(handle, info):
                real += len(data)
                if total + real > limits.unpacked:
                    raise ImportRefused(unpacked_too_large_message(limits.unpacked))
                if real > cap:
                    _refuse_part(name, cap)
                if real > MIB and real > limits.ratio * max(info.compress_size, 1):
                    _refuse_ratio(limits)
                if scan:
                    scan.feed(data)
            if scan:
                scan.feed(b"", final=True)
            if real != info.file_size:
                raise ImportRefused(XLSX_LYING)
            total += real


def _part_cap(name: str, limits: XlsxLimits, worksheet: bool) -> int:
    if worksheet:
        return limits.unpacked
    if name == "xl/sharedstrings.xml":
        return limits.shared_strings
    return limits.part


def _check_declared(info: zipfile.ZipInfo, limits: XlsxLimits) -> None:
    name = info.filename.lower()
    cap = _part_cap(name, limits, name.startswith("xl/worksheets/"))
    if info.file_size > cap:
        _refuse_part(name, cap)
    if info.file_size > MIB and info.file_size > limits.ratio * max(info.compress_size, 1):
        _refuse_ratio(limits)


def _refuse_part(name: str, cap: int) -> None:
    if name == "xl/sharedstrings.xml":
        raise ImportRefused(
            f"De teksten in het Excel-bestand zijn uitgepakt samen groter dan {_mb(cap)} MB; "
            "sla het op als CSV of splits het."
        )
    raise ImportRefused(
        f"Een onderdeel van het Excel-bestand is uitgepakt groter dan {_mb(cap)} MB; "
        "sla het op als CSV of splits het."
    )


def _refuse_ratio(limits: XlsxLimits) -> None:
    raise ImportRefused(
        f"Het Excel-bestand is uitgepakt meer dan {limits.ratio} keer zo groot als ingepakt; "
        "zo’n bestand wordt niet geopend. Sla het op als CSV of splits het."
    )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(info: FileInfo) -> Table:
    from openpyxl import load_workbook

    limits = info.limits or XlsxLimits.portal()
    handle = open(info.path, "rb")  # noqa: SIM115 (closed by Table.close)
    try:
        # A file object, not a path: openpyxl refuses paths that do not end in .xlsx.
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The sheet's own dimension can lie: rows are bounded by our row limit (past it, the
        # file is refused below), columns by XLSX_MAX_COLUMNS (a row is built this wide).
        iterator = sheet.iter_rows(
            max_row=limits.rows + 1,
            max_col=min(sheet.max_column or XLSX_MAX_COLUMNS, XLSX_MAX_COLUMNS),
            values_only=True,
        )
        first = next(iterator, None)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        handle.close()
        raise ImportRefused(
            "Het Excel-bestand is beschadigd of geen geldig .xlsx-bestand. Open het in Excel en sla het opnieuw op."
        ) from error
    if first is None:
        workbook.close()
        handle.close()
        raise ImportRefused("Het bestand is leeg.")
    total_rows = sheet.max_row or 0
    state = {"row": 1}

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                state["row"] = number
                if number > limits.rows:  # empty rows count: a gap is iterated too
                    raise ImportRefused(
                        f"Het Excel-bestand heeft meer dan {_count(limits.rows)} rijen; "
                        "sla het op als CSV of splits het."
                    )
                yield number, [_cell_text(value) for value in values]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ImportRefused(
                f"Het Excel-bestand is beschadigd (bij rij {state['row']}). Open het in Excel en sla het opnieuw op."
            ) from error

    def position() -> int:
        if not total_rows:
            return 0
        return int(info.size * min(1.0, state["row"] / total_rows))

    def close() -> None:
        workbook.close()
        handle.close()

    return Table([_cell_text(value) for value in first], rows(), position, close)


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


# --- Checking a row ------------------------------------------------------------------------

# The common shape, checked fast; anything else goes through Django's full validator.
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


EARLIEST_DATE = dt.date(1900, 1, 1)  # no imported date (birth, member since) lies before it
DATE_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: str) -> dt.date:
    """'1-2-1980', '01-02-1980' or '1980-02-01'; ValueError with a Dutch message otherwise."""
    if match := DATE_DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := DATE_ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(
            f"‘{value}’ is geen datum; schrijf dag-maand-jaar (1-2-1980 of 01-02-1980) of 1980-02-01."
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"‘{value}’ is geen bestaande datum.") from None


def erased_hash(member_number: str) -> str:
    return ErasedMember.hash_number(member_number)


@dataclass
class Lookups:
    """Reference data held in memory while checking rows (a few thousand entries)."""

    postcode_areas: dict[str, tuple[int, int]]  # pc4 → (municipality_id, region_id)
    municipalities: dict[str, tuple[int, int]]  # normalised name or code → (id, region_id)
    sectors: dict[str, int]
    employers_by_kvk: dict[str, int]
    employers_by_name: dict[str, int]
    erased: set[str]
    new_employers: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (name, kvk)
    today: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def load(cls) -> Lookups:
        from regions.models import Municipality, PostcodeArea

        municipalities: dict[str, tuple[int, int]] = {}
        for pk, code, name, region_id in Municipality.objects.values_list(
            "pk", "code", "name", "region_id"
        ):
            municipalities[normalise_header(name)] = (pk, region_id)
            municipalities[normalise_header(code)] = (pk, region_id)
        areas = {
            pc4: (municipality_id, region_id)
            for pc4, municipality_id, region_id in PostcodeArea.objects.values_list(
                "pc4", "municipality_id", "municipality__region_id"
            )
        }
        employers_by_name: dict[str, int] = {}
        employers_by_kvk: dict[str, int] = {}
        for pk, name, kvk, aliases, merged_into in Employer.objects.values_list(
            "pk", "name", "kvk_number", "aliases", "merged_into_id"
        ).order_by("-is_confirmed", "pk"):
            target = merged_into or pk
            for label in [name, *aliases]:
                employers_by_name.setdefault(normalise_header(label), target)
            if kvk:
                employers_by_kvk[kvk] = target
        return cls(
            postcode_areas=areas,
            municipalities=municipalities,
            sectors={
                normalise_header(name): pk for pk, name in Sector.objects.values_list("pk", "name")
            },
            employers_by_kvk=employers_by_kvk,
            employers_by_name=employers_by_name,
            erased=set(ErasedMember.objects.values_list("number_hash", flat=True)),
        )


NORMAL_POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")
KVK_RE = re.compile(r"^[0-9]{8}$")
CACHE_LIMIT = 200_000
RowErrors = list[tuple[str, str]]  # (column header, Dutch reason), in the file's column order


class RowChecker:
    """Turns file rows into staging rows, or per row a list of (column, Dutch reason).

    Rows are checked a batch at a time and column by column: one pass over all values of a
    column per rule is several times faster in Python than one call per cell. Dates are parsed
    once per distinct value. `check` checks one row with the same rules (the admin's path).
    """

    def __init__(self, columns: list[Column | None], lookups: Lookups):
        self.columns = [(index, column) for index, column in enumerate(columns) if column]
        self.width = len(columns)
        self.fields = {column.field for _, column in self.columns}
        self.lookups = lookups
        # Per kind of date (birth "b", other "d"): value → ISO date or None; value → reason.
        self.dates: dict[str, dict[str, str | None]] = {"b": {}, "d": {}}
        self.refused_dates: dict[str, dict[str, str]] = {"b": {}, "d": {}}
        self.derive_place = "municipality" in self.fields or "postcode" in self.fields
        self.employer = "employer" in self.fields or "kvk" in self.fields

    def check(self, values: list[str]) -> tuple[list | None, RowErrors]:
        staged, errors = self.check_batch([0], [values])
        if errors:
            return None, errors[0][1]
        return list(staged[0]), []

    def check_batch(
        self, lines: list[int], rows: list[list[str]]
    ) -> tuple[list[tuple], list[tuple[int, RowErrors]]]:
        """(staging rows of the good rows, [(line, errors)] of the rejected rows in file order)."""
        count = len(rows)
        errors: dict[int, RowErrors] = {}
        misfits: dict[int, RowErrors] = {}
        width = self.width
        if any(len(values) != width for values in rows):
            rows = [self._fit(position, values, misfits) for position, values in enumerate(rows)]
        cells = list(zip(*rows, strict=True)) if count else []
        staged: list[list | tuple] = [[None] * count for _ in STAGING_COLUMNS]
        staged[0] = lines
        context: dict[str, list] = {}
        for index, column in self.columns:
            values = list(map(str.strip, cells[index]))
            long = set()
            if column.max_length and max(map(len, values), default=0) > column.max_length:
                reason = f"Te lang: hoogstens {column.max_length} tekens toegestaan."
                for position, value in enumerate(values):
                    if len(value) > column.max_length:
                        long.add(position)
                        errors.setdefault(position, []).append((column.header, reason))
            found = getattr(self, f"_{column.kind}")(values, column, staged, context)
            for position, reason in found:
                if position not in long:
                    errors.setdefault(position, []).append((column.header, reason))
        errors.update(misfits)  # a row that does not fit the header: that is its one reason
        good = range(count)
        if errors:
            good = [position for position in good if position not in errors]
        if self.derive_place:
            self._place(good, staged, context)
        if self.employer:
            self._employers(good, staged, context)
        rejected = [(lines[position], errors[position]) for position in sorted(errors)]
        if not errors:
            return list(zip(*staged, strict=True)), rejected
        return [
            row for position, row in enumerate(zip(*staged, strict=True)) if position not in errors
        ], rejected

    def _fit(self, position: int, values: list[str], errors: dict[int, RowErrors]) -> list[str]:
        if len(values) == self.width:
            return values
        if len(values) > self.width and not any(value.strip() for value in values[self.width :]):
            return values[: self.width]
        errors[position] = [
            (
                "",
                f"Deze regel heeft {len(values)} velden, de kopregel {self.width}. Controleer scheidingstekens en aanhalingstekens.",
            )
        ]
        return [""] * self.width

    # One method per kind of column: it stores the column's staging values and returns
    # [(row position, Dutch reason)] for the values it refuses.

    def _text(self, values, column, staged, context):
        staged[STAGING_INDEX[column.field]] = values
        if column.required and "" in values:
            return [
                (position, "Dit veld is verplicht.") for position, v in enumerate(values) if not v
            ]
        return []

    def _member_number(self, values, column, staged, context):
        staged[1] = values
        match = MEMBER_NUMBER_RE.match
        return [
            (
                position,
                f"Lidnummer ‘{value}’ heeft niet de goede vorm: 6 tot 10 cijfers."
                if value
                else "Het lidnummer ontbreekt.",
            )
            for position, value in enumerate(values)
            if not match(value)
        ]

    def _email(self, values, column, staged, context):
        staged[STAGING_INDEX["email"]] = values
        match = EMAIL_RE.match
        return [
            (position, f"‘{value}’ is geen geldig e-mailadres.")
            for position, value in enumerate(values)
            if value and not match(value) and not _valid_email(value)
        ]

    def _postcode(self, values, column, staged, context):
        match = NORMAL_POSTCODE.match
        found = []
        odd = [
            position
            for position, value in enumerate(values)
            if value and (not match(value) or value[5:] in ("SA", "SD", "SS"))
        ]
        if odd:
            values = list(values)
            for position in odd:
                try:
                    values[position] = normalise_postcode(values[position])
                except ValidationError:
                    found.append(
                        (
                            position,
                            f"‘{values[position]}’ is geen geldige postcode; gebruik vier cijfers en twee letters, zoals 1234 AB.",
                        )
                    )
        staged[STAGING_INDEX["postcode"]] = values
        areas = self.lookups.postcode_areas.get
        context["area"] = [areas(value[:4]) if value else None for value in values]
        return found

    def _municipality(self, values, column, staged, context):
        known = self.lookups.municipalities.get
        places = [known(normalise_header(value)) if value else None for value in values]
        context["municipality"] = places
        return [
            (position, f"Onbekende gemeente ‘{value}’.")
            for position, (value, place) in enumerate(zip(values, places, strict=True))
            if value and place is None
        ]

    def _dates(self, values, column, staged, birth: bool):
        """Dates as ISO text (what COPY reads fastest), each distinct value parsed once."""
        cache, refused = (
            self.dates["b" if birth else "d"],
            self.refused_dates["b" if birth else "d"],
        )
        if len(cache) > CACHE_LIMIT:
            cache.clear()
            refused.clear()
        distinct = set(values)
        for value in distinct.difference(cache):
            result = self._parse_date(value, birth) if value else None
            if isinstance(result, str):
                refused[value] = result
                result = None
            cache[value] = result.isoformat() if result else None
        staged[STAGING_INDEX[column.field]] = list(map(cache.__getitem__, values))
        if distinct.isdisjoint(refused):
            return []
        return [
            (position, refused[value]) for position, value in enumerate(values) if value in refused
        ]

    def _parse_date(self, value: str, birth: bool) -> dt.date | str:
        """A date between 1-1-1900 and today (a birth date, or the day someone became a member).

        Without bounds, a year such as 0001 or 1066 was accepted and stored (issue 12, item 3).
        """
        try:
            date = parse_date(value)
        except ValueError as error:
            return str(error)
        if date > self.lookups.today:
            return f"‘{value}’ ligt in de toekomst."
        if date < EARLIEST_DATE:
            if birth:
                return f"‘{value}’ is geen mogelijke geboortedatum: die ligt tussen 1-1-1900 en vandaag."
            return f"‘{value}’ ligt vóór 1-1-1900; een datum in deze kolom ligt tussen 1-1-1900 en vandaag."
        return date

    def _date(self, values, column, staged, context):
        return self._dates(values, column, staged, birth=False)

    def _birth_date(self, values, column, staged, context):
        return self._dates(values, column, staged, birth=True)

    def _named(self, values, known: dict[str, object], staged, field_name: str, reason: str):
        """A value looked up by its normalised name (sector, status)."""
        names = {value: known.get(normalise_header(value)) for value in set(values) if value}
        staged[STAGING_INDEX[field_name]] = [names[value] if value else None for value in values]
        return [
            (position, reason.format(value=value))
            for position, value in enumerate(values)
            if value and names[value] is None
        ]

    def _sector(self, values, column, staged, context):
        return self._named(
            values,
            self.lookups.sectors,
            staged,
            "sector_id",
            "Onbekende sector ‘{value}’; een beheerder voegt sectoren toe.",
        )

    def _status(self, values, column, staged, context):
        return self._named(
            values,
            STATUSES,
            staged,
            "status",
            "Onbekende status ‘{value}’; gebruik actief, geschorst of beëindigd.",
        )

    def _employer_name(self, values, column, staged, context):
        context["employer"] = values
        return []

    def _kvk(self, values, column, staged, context):
        context["kvk"] = values
        match = KVK_RE.match
        return [
            (position, f"KvK-nummer ‘{value}’ bestaat niet uit precies 8 cijfers.")
            for position, value in enumerate(values)
            if value and not match(value)
        ]

    # Values derived from several columns, for the good rows only.

    def _place(self, good, staged, context) -> None:
        """Municipality and region: from the municipality column, else from the postcode."""
        municipalities = context.get("municipality")
        areas = context.get("area")
        municipality_ids = staged[STAGING_INDEX["municipality_id"]]
        region_ids = staged[STAGING_INDEX["region_id"]]
        for position in good:
            place = (municipalities and municipalities[position]) or (areas and areas[position])
            if place:
                municipality_ids[position], region_ids[position] = place

    def _employers(self, good, staged, context) -> None:
        count = len(staged[0])
        names = context.get("employer") or [""] * count
        kvks = context.get("kvk") or [""] * count
        employer_ids = staged[STAGING_INDEX["employer_id"]]
        employer_keys = staged[STAGING_INDEX["employer_key"]]
        for position in good:
            name, kvk = names[position], kvks[position]
            if name or kvk:
                employer_ids[position], employer_keys[position] = self._employer(name, kvk)

    def _employer(self, name: str, kvk: str) -> tuple[int | None, str | None]:
        lookups = self.lookups
        if kvk and kvk in lookups.employers_by_kvk:
            return lookups.employers_by_kvk[kvk], None
        if not kvk and (found := lookups.employers_by_name.get(normalise_header(name))):
            return found, None
        key = f"kvk:{kvk}" if kvk else f"naam:{normalise_header(name)}"
        lookups.new_employers.setdefault(key, (name or f"KvK {kvk}", kvk))
        return None, key


# --- Validation: file → staging table ------------------------------------------------------


def staging_table(member_import: MemberImport) -> str:
    return f"members_import_staging_{int(member_import.pk)}"


def staging_exists(member_import: MemberImport) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
            [staging_table(member_import), staging_table(member_import) + "_employers"],
        )
        return cursor.fetchone()[0]


def drop_staging(member_import: MemberImport) -> None:
    name = staging_table(member_import)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}, {name}_employers")


def delete_upload(member_import: MemberImport) -> None:
    """The uploaded file goes as soon as an import ends (applied, refused, cancelled, abandoned)."""
    if member_import.file_path and member_import.source != "command":
        with contextlib.suppress(FileNotFoundError):
            os.remove(member_import.file_path)
    if member_import.file_path:
        member_import.file_path = ""
        MemberImport.objects.filter(pk=member_import.pk).update(file_path="")


class ErrorWriter:
    """Rejected rows into MemberImportError, in batches (every import path writes through it)."""

    def __init__(self, member_import: MemberImport):
        self.member_import = member_import
        self.batch: list[MemberImportError] = []
        self.lines = 0

    def add(self, line: int, errors: list[tuple[str, str]]) -> None:
        self.lines += 1
        for column, message in errors:
            self.batch.append(
                MemberImportError(
                    member_import=self.member_import,
                    line=line,
                    column=column,
                    message=message[:300],
                )
            )

    def flush(self) -> None:
        if self.batch:
            MemberImportError.objects.bulk_create(self.batch)
            self.batch = []


def _refuse(member_import: MemberImport, message: str) -> MemberImport:
    member_import.status = ImportStatus.REFUSED
    member_import.message = message
    member_import.finished_at = timezone.now()
    member_import.save()
    drop_staging(member_import)
    delete_upload(member_import)
    return member_import


def validate_import(member_import: MemberImport) -> MemberImport:
    """Parse and check the file, COPY the good rows into staging, count what would change.

    Ends in PREVIEWED, or REFUSED with a Dutch message (nothing changed), or CANCELLED. Holds
    the import's lock throughout (so the sweep can tell a running check from a dead one, and a
    second delivery of the same task does nothing), and starts again from the file when a
    check of it died half-way.
    """
    with import_lock(member_import) as mine:
        if not mine:  # another process is checking this import
            member_import.refresh_from_db()
            return member_import
        claimed = MemberImport.objects.filter(
            pk=member_import.pk, status__in=[ImportStatus.UPLOADED, ImportStatus.VALIDATING]
        ).update(status=ImportStatus.VALIDATING, heartbeat_at=timezone.now())
        if not claimed:  # cancelled, interrupted or checked meanwhile
            member_import.refresh_from_db()
            return member_import
        member_import.status = ImportStatus.VALIDATING
        member_import.errors.all().delete()  # of a check that died half-way
        return _validate(member_import)


def _validate(member_import: MemberImport) -> MemberImport:
    try:
        info = inspect_file(member_import.file_path)
        member_import.file_size = info.size
        member_import.file_sha256 = info.sha256
        table = open_table(info)
        try:
            columns = map_header(table.header)
            member_import.file_format = info.label
            member_import.columns = [column.field for column in columns if column]
            member_import.save()
            _stream_into_staging(member_import, info, table, RowChecker(columns, Lookups.load()))
        finally:
            table.close()
    except ImportRefused as refused:
        return _refuse(member_import, str(refused))
    except ImportCancelled:
        return cancel_import(member_import)
    if member_import.rows_total == 0:
        return _refuse(member_import, "Het bestand bevat alleen een kopregel en geen leden.")
    _count_changes(member_import)
    member_import.status = ImportStatus.PREVIEWED
    member_import.bytes_done = member_import.file_size
    member_import.save()
    return member_import


def _batches(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[list[int], list[list[str]]]]:
    """The file's non-empty rows in batches of BATCH_ROWS: (line numbers, cell values)."""
    lines: list[int] = []
    batch: list[list[str]] = []
    for line, values in rows:
        if any(values):
            lines.append(line)
            batch.append(values)
            if len(batch) == BATCH_ROWS:
                yield lines, batch
                lines, batch = [], []
    if batch:
        yield lines, batch


@dataclass
class Counts:
    total: int = 0
    valid: int = 0
    skipped: int = 0  # erased members
    rejected: int = 0


def _copy_checked_rows(
    member_import: MemberImport,
    table: Table,
    checker: RowChecker,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Check the table's rows and COPY the good ones into the staging table."""
    name = staging_table(member_import)
    errors = ErrorWriter(member_import)
    counts = Counts()
    erased = checker.lookups.erased
    # CSV, because Python's csv writer formats a batch in C; unquoted empty is NULL.
    copy_sql = f"COPY {name} ({', '.join(column for column, _ in STAGING_COLUMNS)}) FROM STDIN (FORMAT csv)"
    batches = _batches(table.rows)
    finished = False
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own: Django's debug wrapper logs every COPY in memory
        while not finished:
            # One COPY per PROGRESS_EVERY rows: between them the connection is free for the
            # progress update, the rejected rows and the cancel check.
            finished = True
            progress_at = counts.total + PROGRESS_EVERY
            with raw.copy(copy_sql) as copy:
                for lines, rows in batches:
                    counts.total += len(rows)
                    staged, rejected = checker.check_batch(lines, rows)
                    for line, row_errors in rejected:
                        errors.add(line, row_errors)
                    if erased:
                        kept = [row for row in staged if erased_hash(row[1]) not in erased]
                        counts.skipped += len(staged) - len(kept)
                        staged = kept
                    buffer = io.StringIO()
                    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(
                        staged
                    )
                    copy.write(buffer.getvalue())
                    counts.valid += len(staged)
                    if counts.total >= progress_at:
                        finished = False
                        break
            errors.flush()
            if not finished and progress:
                progress(counts.total)
    counts.rejected = errors.lines
    return counts


def parallel_min_bytes() -> int:
    return int(settings.FNV["IMPORT_PARALLEL_BYTES"])


def _stream_into_staging(
    member_import: MemberImport, info: FileInfo, table: Table, checker: RowChecker
) -> None:
    """Check every row into the staging table; a large CSV file in two processes at once.

    The checking is Python on one core; the machine has more. A large CSV file is split at a
    record boundary near the middle and a second process (`members.importpart`) checks the
    second half into the same staging table while this one checks the first.
    """
    name = staging_table(member_import)
    with connection.cursor() as cursor:
        columns_sql = ", ".join(f"{column} {kind}" for column, kind in STAGING_COLUMNS)
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE UNLOGGED TABLE {name} ({columns_sql})")
    parts = None
    if info.kind == "csv" and 0 < parallel_min_bytes() <= info.size:
        parts = split_csv(info.path, info.size)
    counts = _check_in_two_processes(member_import, info, checker, parts) if parts else None
    if counts is None:
        if parts:  # the two-process check did not hold: start again with the file whole
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {name}")
            member_import.errors.all().delete()
            checker.lookups.new_employers.clear()
        counts = _copy_checked_rows(
            member_import,
            table,
            checker,
            lambda total: _progress(member_import, table.position(), total),
        )
    total, valid, skipped = counts.total, counts.valid, counts.skipped
    errors = ErrorWriter(member_import)
    errors.lines = counts.rejected
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {name}")
        # A member number twice in one file: both rows are rejected.
        cursor.execute(
            f"SELECT member_number, array_agg(line ORDER BY line) FROM {name} "
            f"WHERE member_number IN (SELECT member_number FROM {name} "
            "GROUP BY member_number HAVING count(*) > 1) GROUP BY member_number"
        )
        duplicates = cursor.fetchall()
        if duplicates:
            cursor.execute(
                f"DELETE FROM {name} WHERE member_number = ANY(%s)",
                [[number for number, _ in duplicates]],
            )
            for number, lines in duplicates:
                for line in lines:
                    others = ", ".join(str(other) for other in lines if other != line)
                    errors.add(
                        line,
                        [
                            (
                                "lidnummer",
                                f"Lidnummer {number} staat ook op regel {others}; beide regels zijn afgewezen.",
                            )
                        ],
                    )
                valid -= len(lines)
            errors.flush()
    member_import.rows_total = total
    member_import.rows_valid = valid
    member_import.rejected = errors.lines
    member_import.skipped_erased = skipped
    member_import.employers_created = len(checker.lookups.new_employers)
    _store_new_employers(member_import, checker.lookups.new_employers)


def _check_in_two_processes(
    member_import: MemberImport, info: FileInfo, checker: RowChecker, parts: tuple[Part, Part]
) -> Counts | None:
    """First part here, second part in a helper process; None when a part was misjudged or
    no second process could be started (the caller then checks the file whole)."""
    first, second = parts
    try:
        helper = _start_helper(member_import, info, second)
    except OSError:  # no second process to be had: the caller checks the file whole
        return None
    try:
        table = _open_csv(info, first)
        try:
            counts = _copy_checked_rows(
                member_import,
                table,
                checker,
                # both halves go at about the same pace: this half's share stands for the whole
                lambda total: _progress(
                    member_import, table.position() * info.size // first.end, total * 2
                ),
            )
            mismatch = False
        except PartMismatch:
            mismatch = True
        finally:
            table.close()
        output, error_output = helper.communicate()
    except BaseException:
        helper.kill()
        helper.wait()
        raise
    if helper.returncode != 0:
        raise RuntimeError(f"De tweede controle stopte onverwacht:\n{error_output[-4000:]}")
    result = json.loads(output.strip().splitlines()[-1])
    if "refused" in result:
        raise ImportRefused(result["refused"])
    if mismatch or result.get("mismatch"):
        return None
    for key, employer_name, kvk in result["new_employers"]:
        checker.lookups.new_employers.setdefault(key, (employer_name, kvk))
    return Counts(
        total=counts.total + result["total"],
        valid=counts.valid + result["valid"],
        skipped=counts.skipped + result["skipped"],
        rejected=counts.rejected + result["rejected"],
    )


def _start_helper(member_import: MemberImport, info: FileInfo, part: Part) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own module, arguments are numbers)
        [
            sys.executable,
            "-m",
            "members.importpart",
            str(member_import.pk),
            str(part.start),
            str(part.end),
            str(part.first_line),
            info.encoding,
            str(os.getpid()),  # the helper stops when this process is no longer its parent
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _this_database_url()},
    )


def _this_database_url() -> str:
    """DATABASE_URL naming the database this connection uses (in tests: the test database)."""
    url = urllib.parse.urlsplit(settings.DATABASE_URL)
    name = urllib.parse.quote(connection.settings_dict["NAME"])
    return urllib.parse.urlunsplit(url._replace(path=f"/{name}"))


def check_part(import_id: int, part: Part, encoding: str, parent: int | None = None) -> dict:
    """The helper process's work (members/importpart.py): check one part into staging.

    `parent`: the checking process that started it. When that process dies (its worker was
    killed), this one stops before its next COPY: the sweep may already have dropped the
    staging table, and a retry may have made a new one with the same name.
    """
    member_import = MemberImport.objects.get(pk=import_id)
    info = FileInfo(member_import.file_path, part.end, "", "csv", encoding=encoding)
    with connection.cursor() as cursor:  # the import counts as running while this process lives
        cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", [HELPER_LOCK, import_id])

    def parent_alive(_total: int = 0) -> None:
        if parent is not None and os.getppid() != parent:
            raise ImportCancelled

    parent_alive()  # the parent may have died while this process started

    try:
        table = _open_csv(info, part)
        try:
            checker = RowChecker(map_header(table.header), Lookups.load())
            counts = _copy_checked_rows(member_import, table, checker, parent_alive)
        finally:
            table.close()
    except ImportRefused as refused:
        return {"refused": str(refused)}
    except PartMismatch:
        return {"mismatch": True}
    return {
        "total": counts.total,
        "valid": counts.valid,
        "skipped": counts.skipped,
        "rejected": counts.rejected,
        "new_employers": [
            [key, employer_name, kvk]
            for key, (employer_name, kvk) in checker.lookups.new_employers.items()
        ],
    }


def _store_new_employers(member_import: MemberImport, new: dict[str, tuple[str, str]]) -> None:
    """Employers not yet known are created only when the import is applied: keep them aside."""
    name = staging_table(member_import) + "_employers"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE UNLOGGED TABLE {name} (key text primary key, name text, kvk text)")
        if new:
            with cursor.copy(f"COPY {name} (key, name, kvk) FROM STDIN") as copy:
                for key, (employer_name, kvk) in new.items():
                    copy.write_row((key, employer_name[:200], kvk))


def _progress(member_import: MemberImport, position: int, total: int) -> None:
    member_import.bytes_done = position
    MemberImport.objects.filter(pk=member_import.pk).update(
        bytes_done=position, rows_total=total, heartbeat_at=timezone.now()
    )
    if MemberImport.objects.filter(pk=member_import.pk, cancel_requested=True).exists():
        raise ImportCancelled


# --- The set-based SQL ---------------------------------------------------------------------


def _targets(fields: set[str]) -> list[tuple[str, str]]:
    """(member column, SQL expression of its new value) for the columns this file holds.

    `m` is the member row as it is, `s` the staging row.
    """
    targets = [(name, f"s.{name}") for name in TEXT_FIELDS if name in fields]
    for name in ("birth_date", "member_since"):
        if name in fields:
            targets.append((name, f"s.{name}"))
    if "sector" in fields:
        targets.append(("sector_id", "s.sector_id"))
    if "employer" in fields or "kvk" in fields:
        targets.append(("employer_id", "s.employer_id"))
    if "municipality" in fields or "postcode" in fields:
        targets.append(("municipality_id", "s.municipality_id"))
        targets.append(
            ("region_id", "CASE WHEN m.region_is_explicit THEN m.region_id ELSE s.region_id END")
        )
    if "status" in fields:
        targets.append(("status", "COALESCE(s.status, m.status)"))
        targets.append(
            (
                "ended_on",
                "CASE WHEN COALESCE(s.status, m.status) = 'ended' "
                "THEN COALESCE(m.ended_on, CURRENT_DATE) ELSE NULL END",
            )
        )
    return targets


def _changed_condition(targets: list[tuple[str, str]]) -> str:
    left = ", ".join(f"m.{name}" for name, _ in targets)
    right = ", ".join(expression for _, expression in targets)
    return f"ROW({left}) IS DISTINCT FROM ROW({right})"


def _count_changes(member_import: MemberImport) -> None:
    name = staging_table(member_import)
    targets = _targets(set(member_import.columns))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # One join counts both: staging rows without a member are new, the others may change.
        changed = _changed_condition(targets) if targets else "false"
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE m.id IS NULL), "
            f"count(*) FILTER (WHERE m.id IS NOT NULL AND {changed}) "
            f"FROM {name} s LEFT JOIN members_member m ON m.member_number = s.member_number"
        )
        member_import.to_create, member_import.to_update = cursor.fetchone()
        member_import.to_end = 0
        if member_import.mode == ImportMode.SNAPSHOT:
            cursor.execute(
                "SELECT count(*) FROM members_member m WHERE m.status <> 'ended' AND NOT EXISTS "
                f"(SELECT 1 FROM {name} s WHERE s.member_number = m.member_number)"
            )
            member_import.to_end = cursor.fetchone()[0]


def can_apply(member_import: MemberImport) -> str:
    """'' when the checked import may be applied, else the Dutch reason why not."""
    if (
        member_import.status != ImportStatus.PREVIEWED
        and member_import.status != ImportStatus.QUEUED
    ):
        return "Deze import is niet (meer) klaar om te verwerken."
    if member_import.rejected and member_import.mode != ImportMode.VALID_ROWS:
        return (
            f"{member_import.rejected} rij(en) afgewezen. In de gekozen manier wordt dan niets verwerkt; "
            "verbeter het bestand of kies ‘alleen de goede rijen’."
        )
    return ""


def apply_import(member_import: MemberImport) -> MemberImport:
    """Apply a checked import in one transaction: new employers, updates, inserts, endings.

    Idempotent: a row whose values equal the member's is not written (updated_at stays), so the
    same file twice writes nothing the second time.
    """
    reason = can_apply(member_import)
    if reason:
        return _refuse(member_import, reason)
    claimed = MemberImport.objects.filter(
        pk=member_import.pk,
        status__in=[ImportStatus.PREVIEWED, ImportStatus.QUEUED],
        cancel_requested=False,
    ).update(status=ImportStatus.APPLYING, heartbeat_at=timezone.now())
    if not claimed:
        member_import.refresh_from_db()
        if member_import.cancel_requested and not member_import.is_finished:
            return cancel_import(member_import)
        return member_import
    member_import.status = ImportStatus.APPLYING
    name = staging_table(member_import)
    targets = _targets(set(member_import.columns))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        # This import's lock: held until the transaction ends, also when its worker dies
        # (then PostgreSQL rolls back and frees it), so the sweep can tell.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, member_import.pk])
        # One import applies at a time.
        cursor.execute("SELECT pg_advisory_xact_lock(72001)")
        # Hash joins over a million rows stay in memory instead of spilling to disk.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        member_import.employers_created = _create_employers(cursor, name)
        updated = 0
        if targets:
            assignments = ", ".join(f"{column} = {expression}" for column, expression in targets)
            cursor.execute(
                f"UPDATE members_member m SET {assignments}, updated_at = %s FROM {name} s "
                f"WHERE m.member_number = s.member_number AND {_changed_condition(targets)}",
                [now],
            )
            updated = cursor.rowcount
        bulk = _bulk_load(cursor, member_import.to_create)
        with _secondary_indexes_set_aside(cursor) if bulk else contextlib.nullcontext():
            cursor.execute(_insert_sql(name, set(member_import.columns), bulk=bulk), [now, now])
            created = cursor.rowcount
        ended = 0
        if member_import.mode == ImportMode.SNAPSHOT:
            cursor.execute(
                "UPDATE members_member m SET status = 'ended', "
                "ended_on = COALESCE(m.ended_on, CURRENT_DATE), updated_at = %s "
                "WHERE m.status <> 'ended' AND NOT EXISTS "
                f"(SELECT 1 FROM {name} s WHERE s.member_number = m.member_number)",
                [now],
            )
            ended = cursor.rowcount
        member_import.created = created
        member_import.updated = updated
        member_import.unchanged = member_import.rows_valid - created - updated
        member_import.ended = ended
        member_import.status = ImportStatus.DONE
        member_import.finished_at = timezone.now()
        member_import.bytes_done = member_import.file_size
        member_import.save()
    drop_staging(member_import)
    delete_upload(member_import)
    return member_import


def _bulk_load(cursor, to_create: int) -> bool:
    """Whether to insert as a bulk load: many new members, at least half as many as there are.

    Then the members table is locked for the rest of the transaction (readers wait). When the
    lock is not free within a few seconds, the rows are inserted the ordinary way instead.
    """
    if to_create < settings.FNV["IMPORT_BULK_ROWS"]:
        return False
    cursor.execute("SELECT count(*) FROM members_member")
    if to_create * 2 < cursor.fetchone()[0]:
        return False
    try:
        with transaction.atomic():
            cursor.execute(f"SET LOCAL lock_timeout = '{BULK_LOCK_TIMEOUT}'")
            cursor.execute("LOCK TABLE members_member IN ACCESS EXCLUSIVE MODE")
    except OperationalError:
        return False
    return True


@contextlib.contextmanager
def _secondary_indexes_set_aside(cursor) -> Iterator[None]:
    """Drop the members table's secondary indexes and constraints, and rebuild them after.

    PostgreSQL's own advice for loading many rows ("Populating a Database"): building an index
    once over all rows, and checking a foreign key with one join, is several times faster than
    maintaining them row by row. The primary key and the member-number index stay (the insert
    needs them), and so do the constraints on the account link: dropping a foreign key locks
    the table it points to, and logins must not wait for an import. Runs inside the import's
    transaction: if anything fails, the drop is undone with the rest. The definitions are read
    from the catalogue, so they come back exactly.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # nothing may be pending on the table
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'members_member'::regclass AND contype IN ('f', 'u') "
        "AND conname <> 'member_number_unique' ORDER BY conname"
    )
    constraints = [
        (constraint, definition)
        for constraint, definition in cursor.fetchall()
        if "(user_id)" not in definition.split("REFERENCES")[0]
    ]
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = 'members_member'::regclass AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY 1"
    )
    indexes = cursor.fetchall()
    for constraint, _ in constraints:
        cursor.execute(f'ALTER TABLE members_member DROP CONSTRAINT "{constraint}"')
    for index, _ in indexes:
        cursor.execute(f"DROP INDEX {index}")
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for constraint, definition in constraints:
        cursor.execute(f'ALTER TABLE members_member ADD CONSTRAINT "{constraint}" {definition}')


def _create_employers(cursor, name: str) -> int:
    employers = f"{name}_employers"
    cursor.execute(f"SELECT key, name, kvk FROM {employers}")
    new = cursor.fetchall()
    if not new:
        return 0
    created = []
    for key, employer_name, kvk in new:
        employer = Employer.objects.filter(kvk_number=kvk).first() if kvk else None
        if employer is None:
            employer = Employer.objects.create(name=employer_name, kvk_number=kvk)
            created.append(employer)
        cursor.execute(
            f"UPDATE {name} SET employer_id = %s WHERE employer_key = %s", [employer.pk, key]
        )
    return len(created)


def _insert_sql(name: str, fields: set[str], bulk: bool = False) -> str:
    """The INSERT of the new members. `bulk`: the table is locked, so no conflict can arise."""
    columns = ["member_number"]
    values = ["s.member_number"]
    for text_field in TEXT_FIELDS:
        columns.append(text_field)
        values.append(f"s.{text_field}" if text_field in fields else "''")
    for date_field in ("birth_date", "member_since"):
        if date_field in fields:
            columns.append(date_field)
            values.append(f"s.{date_field}")
    if "sector" in fields:
        columns.append("sector_id")
        values.append("s.sector_id")
    if "employer" in fields or "kvk" in fields:
        columns.append("employer_id")
        values.append("s.employer_id")
    if "municipality" in fields or "postcode" in fields:
        columns += ["municipality_id", "region_id"]
        values += ["s.municipality_id", "s.region_id"]
    status = "COALESCE(s.status, 'active')" if "status" in fields else "'active'"
    columns += ["status", "ended_on", "region_is_explicit", "is_demo", "created_at", "updated_at"]
    values += [
        status,
        f"CASE WHEN {status} = 'ended' THEN CURRENT_DATE ELSE NULL END",
        "false",
        "false",
        "%s",
        "%s",
    ]
    return (
        f"INSERT INTO members_member ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {name} s WHERE NOT EXISTS "
        "(SELECT 1 FROM members_member m WHERE m.member_number = s.member_number)"
        + ("" if bulk else " ON CONFLICT (member_number) DO NOTHING")
    )


def cancel_import(member_import: MemberImport) -> MemberImport:
    """Stop an import that has not been applied; its file and staging rows go.

    An import being applied is not stopped, unless its apply died (no process holds its lock:
    the transaction was rolled back). The status changes only from the one the caller saw, so
    an apply or check that finished meanwhile keeps its result.
    """
    if member_import.is_finished:
        return member_import
    if member_import.status == ImportStatus.APPLYING and import_is_running(member_import):
        return member_import
    now = timezone.now()
    message = "Geannuleerd; er is niets verwerkt."
    cancelled = MemberImport.objects.filter(
        pk=member_import.pk, status=member_import.status
    ).update(status=ImportStatus.CANCELLED, cancel_requested=True, finished_at=now, message=message)
    if not cancelled:
        member_import.refresh_from_db()
        return member_import
    member_import.status = ImportStatus.CANCELLED
    member_import.cancel_requested = True
    member_import.finished_at = now
    member_import.message = message
    drop_staging(member_import)
    delete_upload(member_import)
    return member_import


# --- Is an import's check or apply still running? ------------------------------------------

IMPORT_LOCK = 72002  # with the import's id: held by the process checking or applying it
HELPER_LOCK = 72003  # with the import's id: held (shared) by a check's second process


@contextlib.contextmanager
def import_lock(member_import: MemberImport) -> Iterator[bool]:
    """This import's lock for a check, held by this database session; False when taken.

    PostgreSQL frees it when the session ends, so a worker that dies frees it too.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK, member_import.pk])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, member_import.pk]
                    )
            except DatabaseError:
                # The session cannot run a statement any more: closing it frees the lock, so
                # the import is not taken for running forever by a worker's reused connection.
                if not connection.in_atomic_block:
                    connection.close()


def import_is_running(member_import: MemberImport) -> bool:
    """Whether some process holds this import's lock (checking or applying it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND objsubid = 2 AND classid::bigint IN (%s, %s) AND objid::bigint = %s)",
            [IMPORT_LOCK, HELPER_LOCK, member_import.pk],
        )
        return cursor.fetchone()[0]


# --- Reports -------------------------------------------------------------------------------


def report_lines(member_import: MemberImport) -> list[str]:
    """The report in Dutch, the same for the command line and the portal."""
    lines = [
        f"Bestand: {member_import.file_name} ({member_import.file_format or 'onbekend formaat'})",
        f"SHA-256: {member_import.file_sha256}",
        f"Manier: {member_import.get_mode_display()}{' (proefdraai)' if member_import.dry_run else ''}",
        f"Status: {member_import.get_status_display()}",
    ]
    if member_import.message:
        lines.append(f"Melding: {member_import.message}")
    lines.append(f"Rijen in bestand: {member_import.rows_total}")
    lines.append(f"Afgewezen: {member_import.rejected}")
    if member_import.skipped_erased:
        lines.append(f"Overgeslagen (gewiste leden): {member_import.skipped_erased}")
    if member_import.status == ImportStatus.DONE:
        lines += [
            f"Nieuw: {member_import.created}",
            f"Gewijzigd: {member_import.updated}",
            f"Ongewijzigd: {member_import.unchanged}",
        ]
        if member_import.mode == ImportMode.SNAPSHOT:
            lines.append(f"Beëindigd (niet in bestand): {member_import.ended}")
        if member_import.employers_created:
            lines.append(f"Nieuwe werkgevers: {member_import.employers_created}")
    elif member_import.status == ImportStatus.PREVIEWED:
        lines += [
            f"Zou nieuw zijn: {member_import.to_create}",
            f"Zou wijzigen: {member_import.to_update}",
            f"Zou ongewijzigd blijven: {member_import.unchanged_preview}",
        ]
        if member_import.mode == ImportMode.SNAPSHOT:
            lines.append(f"Zou beëindigd worden (niet in bestand): {member_import.to_end}")
    for error in member_import.errors.all()[:20]:
        lines.append(
            f"  regel {error.line}{' · ' + error.column if error.column else ''}: {error.message}"
        )
    if member_import.rejected > 20:
        lines.append("  … (alle afgewezen rijen staan in het CSV-rapport)")
    return lines


def rejected_rows_csv(member_import: MemberImport) -> Iterator[str]:
    """The rejected rows as CSV for Dutch Excel: line number, column, reason."""
    from members.exporting import csv_line

    yield "\ufeff" + csv_line(["regel", "kolom", "reden"])
    for line, column, message in (
        member_import.errors.order_by("line", "id")
        .values_list("line", "column", "message")
        .iterator(chunk_size=5000)
    ):
        yield csv_line([str(line), column, message])
