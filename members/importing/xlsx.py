"""XLSX: what the archive holds, checked before openpyxl parses any of it.

An .xlsx file is a zip archive of XML parts, and the upload limit counts its compressed
bytes only. A 205 KB file can hold a 200 MB shared string (openpyxl keeps every shared
string in memory; that file took a worker from 100 to 312 MB, and 1 GiB took it to 1.7 GB).
So before openpyxl reads anything, every part is inflated here, a chunk at a time, and
counted: the real bytes, not what the archive's central directory says (it can lie). The
same pass bounds the longest text, the number of rows and cells and the size of one row,
and refuses DTDs (entity expansion). Memory stays at about two chunks.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from core.conf import feature_setting
from members.importing.format import ImportRefused

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
        return cls(
            unpacked=int(feature_setting("IMPORT_XLSX_MAX_UNPACKED", cls.unpacked)),
            shared_strings=int(
                feature_setting("IMPORT_XLSX_MAX_SHARED_STRINGS", cls.shared_strings)
            ),
            rows=int(feature_setting("IMPORT_XLSX_MAX_ROWS", cls.rows)),
            cells=int(feature_setting("IMPORT_XLSX_MAX_CELLS", cls.cells)),
        )


def _mb(size: int) -> str:
    return f"{size / MIB:.0f}" if size >= 10 * MIB else f"{size / MIB:.1f}".replace(".", ",")


def dutch_number(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def unpacked_too_large_message(limit: int) -> str:
    return f"Het bestand is uitgepakt groter dan {_mb(limit)} MB; sla het op als CSV of splits het."


XLSX_DAMAGED = "Het Excel-bestand is beschadigd of geen geldig .xlsx-bestand. Open het in Excel en sla het opnieuw op."
XLSX_LYING = (
    "De inhoudsopgave van het Excel-bestand klopt niet met wat erin zit (beschadigd of bewerkt). "
    "Open het in Excel en sla het opnieuw op, of sla het op als CSV."
)


def _zip_directory_extent(handle: BinaryIO, size: int, limits: XlsxLimits) -> tuple[int, int]:
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


def _inflate(handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
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
                f"Het Excel-bestand heeft meer dan {dutch_number(limits.cells)} cellen; "
                "sla het op als CSV of splits het."
            )
        tag = self.row_tag
        counts["rows"] += sum(part.count(tag + after) for after in (b" ", b">"))
        if counts["rows"] > limits.rows:
            raise ImportRefused(
                f"Het Excel-bestand heeft meer dan {dutch_number(limits.rows)} rijen; "
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
