"""XLSX decompression bombs, built in the test (issue 12, item 5). Used by the tests and by
bench/xlsx_bomb_memory.py. Each starts from a real workbook written by openpyxl, so it is a
valid .xlsx file in every other way."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

PLACEHOLDER = "PLAATSHOUDER"
CHUNK = 1 << 20


def _workbook_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(source: bytes, path, replace: dict[str, object]) -> None:
    """Copy the archive; the parts in `replace` come from a function giving byte chunks (a part
    not in the source is added)."""
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        names = [info.filename for info in original.infolist()]
        for name in names + [name for name in replace if name not in names]:
            if name in replace:
                with bomb.open(name, "w", force_zip64=True) as part:
                    for chunk in replace[name]():
                        part.write(chunk)
            else:
                bomb.writestr(name, original.read(name))


def _long_text(size: int):
    block = b"A" * CHUNK
    left = size
    while left > 0:
        yield block[: min(CHUNK, left)]
        left -= CHUNK


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
)


def shared_string_bomb(path, size: int) -> None:
    """A member file whose one shared string (a last name) is `size` bytes of 'A'."""
    source = _workbook_bytes([["lidnummer", "achternaam"], ["1000001", PLACEHOLDER]])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        types = archive.read("[Content_Types].xml")
    inline = f'<c r="B2" t="inlineStr"><is><t>{PLACEHOLDER}</t></is></c>'.encode()
    assert inline in sheet
    sheet = sheet.replace(inline, b'<c r="B2" t="s"><v>0</v></c>')
    types = types.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")

    def strings():
        yield (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="1" uniqueCount="1"><si><t>'
        )
        yield from _long_text(size)
        yield b"</t></si></sst>"

    _rewrite(
        source,
        path,
        {
            "xl/worksheets/sheet1.xml": lambda: [sheet],
            "[Content_Types].xml": lambda: [types],
            "xl/sharedStrings.xml": strings,
        },
    )


def many_shared_strings(path, size: int) -> None:
    """A member file with about `size` bytes of short distinct shared strings: the most
    memory openpyxl takes for a file within the bounds (it keeps every shared string)."""
    source = _workbook_bytes([["lidnummer", "achternaam"], ["1000001", PLACEHOLDER]])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        types = archive.read("[Content_Types].xml")
    inline = f'<c r="B2" t="inlineStr"><is><t>{PLACEHOLDER}</t></is></c>'.encode()
    sheet = sheet.replace(inline, b'<c r="B2" t="s"><v>0</v></c>')
    types = types.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")

    def strings():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        written, number = 0, 0
        while written < size:
            batch = b"".join(
                f"<si><t>{(number + index) * 7919 % 10**9:x}</t></si>".encode()
                for index in range(10_000)
            )
            number += 10_000
            written += len(batch)
            yield batch
        yield b"</sst>"

    _rewrite(
        source,
        path,
        {
            "xl/worksheets/sheet1.xml": lambda: [sheet],
            "[Content_Types].xml": lambda: [types],
            "xl/sharedStrings.xml": strings,
        },
    )


def inline_string_bomb(path, size: int) -> None:
    """A member file whose one inline string, in the sheet itself, is `size` bytes of 'A'."""
    source = _workbook_bytes([["lidnummer", "achternaam"], ["1000001", PLACEHOLDER]])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    before, after = sheet.split(PLACEHOLDER.encode())

    def chunks():
        yield before
        yield from _long_text(size)
        yield after

    _rewrite(source, path, {"xl/worksheets/sheet1.xml": chunks})


def many_rows_sheet(path, rows: int) -> None:
    """A valid sheet of `rows` short member rows (each cell an inline number)."""
    source = _workbook_bytes([["lidnummer", "achternaam"]])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")
    head = head.replace(b'<dimension ref="A1:B1"/>', b"")

    def chunks():
        yield head
        batch = []
        for number in range(2, rows + 2):
            batch.append(
                f'<row r="{number}"><c r="A{number}"><v>{1000000 + number}</v></c></row>'.encode()
            )
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)
        yield b"</sheetData>" + tail

    _rewrite(source, path, {"xl/worksheets/sheet1.xml": chunks})


def lie_about_size(path, part: str, declared: int) -> None:
    """Make the central directory claim `declared` unpacked bytes for `part`, whatever it
    really holds. zipfile (and so openpyxl) trusts that figure."""
    data = bytearray(Path(path).read_bytes())
    name = part.encode()
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        name_length, extra_length = struct.unpack("<2H", data[position + 28 : position + 32])
        if data[position + 46 : position + 46 + name_length] == name:
            break
        position += 4
    else:
        raise AssertionError(f"{part} not in the central directory")
    if struct.unpack("<L", data[position + 24 : position + 28])[0] != 0xFFFFFFFF:
        struct.pack_into("<L", data, position + 24, declared)
    else:  # the size is in the zip64 extra field, first of its values
        extra = position + 46 + name_length
        while True:
            header_id, length = struct.unpack("<2H", data[extra : extra + 4])
            if header_id == 0x0001:
                struct.pack_into("<Q", data, extra + 4, declared)
                break
            extra += 4 + length
    Path(path).write_bytes(bytes(data))
