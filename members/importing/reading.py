"""Reading a member file: size, type by content, hash, encoding; its header and rows, streamed.

A CSV file can be read in two parts (`split_csv`, `Part`) for the two-process check.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import os
import zipfile
from collections.abc import Buffer, Callable, Iterator
from dataclasses import dataclass

from core.conf import feature_setting
from members.importing.format import ImportRefused
from members.importing.xlsx import XLSX_MAX_COLUMNS, XlsxLimits, check_xlsx, dutch_number

HEAD_BYTES = 8192


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
    return int(feature_setting("IMPORT_MAX_BYTES"))


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
    decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()
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
    return open_csv(info)


@dataclass(frozen=True)
class Part:
    """A stretch of a CSV file that starts at a record boundary: bytes [start, end)."""

    start: int
    end: int
    first_line: int  # the line number of its first row


SPLIT_SENTINEL = "\x00deel\n"  # NUL cannot occur in an accepted file


class _ByteRange(io.RawIOBase):
    def __init__(self, handle: io.BufferedReader, end: int) -> None:
        self.handle, self.remaining = handle, end - handle.tell()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer)
        size = min(len(view), self.remaining)
        if size <= 0:
            return 0
        read = self.handle.readinto(view[:size])
        self.remaining -= read
        return read

    def tell(self) -> int:
        return self.handle.tell()

    def close(self) -> None:
        self.handle.close()
        super().close()


def open_csv(info: FileInfo, part: Part | None = None) -> Table:
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


def _cell_text(value: object) -> str:
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
    # Imported here: openpyxl takes about 0.1 s to import, and only an XLSX file needs it
    # (the second process of a CSV check, and every web process, start without it).
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
                        f"Het Excel-bestand heeft meer dan {dutch_number(limits.rows)} rijen; "
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
