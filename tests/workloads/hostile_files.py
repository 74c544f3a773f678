"""Hostile and damaged customer files, built in memory: shared by the tests
of :mod:`core.ingest` and ``bench/hostile_files.py``, which measures the
import's memory on them.

Every builder is deterministic and fast: the zip bomb of 2 MB that unpacks
to 2 GiB is written from one compressed block repeated, not by compressing
2 GiB.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook(rows: Sequence[Sequence[object]], *, shared_strings: bool = False) -> bytes:
    """An ordinary XLSX file: openpyxl's (inline strings), or xlsxwriter's
    (a shared-strings table) with ``shared_strings``."""
    buffer = io.BytesIO()
    if shared_strings:
        import xlsxwriter

        book = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
        sheet = book.add_worksheet()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        book.close()
        return buffer.getvalue()
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(buffer)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    """The parts of an XLSX file, by name, in order."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(contents: dict[str, bytes]) -> bytes:
    """XLSX bytes from parts (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """``data`` with one part replaced (or added)."""
    return rezip({**parts(data), name: content})


def with_dimension(data: bytes, ref: str) -> bytes:
    """``data`` whose first sheet claims the extent ``ref`` (e.g. a stale
    ``A1:B11``), as files from other tools often do."""
    sheet = parts(data)[SHEET]
    stale, count = re.subn(
        rb"<dimension ref=\"[^\"]*\"\s*/>", f'<dimension ref="{ref}"/>'.encode(), sheet
    )
    assert count == 1, "the sheet has no <dimension> to make stale"
    return with_part(data, SHEET, stale)


def truncated_sheet(data: bytes, keep: float = 0.6) -> bytes:
    """``data`` whose sheet XML is cut short (a download that broke off,
    re-zipped): its zip is intact, its XML is not."""
    sheet = parts(data)[SHEET]
    return with_part(data, SHEET, sheet[: int(len(sheet) * keep)])


def sheet_xml(body: bytes) -> bytes:
    """A worksheet part whose ``<sheetData>`` holds ``body``."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
        + _MAIN
        + b"><sheetData>"
        + body
        + b"</sheetData></worksheet>"
    )


def inline_row(number: int, *cells: str) -> bytes:
    """A ``<row>`` of inline-string cells."""
    out = [f'<row r="{number}">'.encode()]
    for col, text in enumerate(cells):
        ref = f"{chr(ord('A') + col)}{number}"
        out.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode())
    out.append(b"</row>")
    return b"".join(out)


def zip_bomb(unpacked_mib: int = 2048) -> bytes:
    """A real XLSX zip bomb: an ordinary workbook whose sheet holds one cell
    of ``unpacked_mib`` MiB of ``A`` (2 GiB by default, in a file of about
    2 MB), with correct sizes and CRC, so that a reader that trusts it
    unpacks every byte."""
    head = sheet_xml(inline_row(1, "姓名") + b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
    head = head[: head.index(b"</sheetData>")]
    tail = b"</t></is></c></row></sheetData></worksheet>"
    block = b"A" * (1 << 20)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor forgets everything before it, so the
    # block's compressed form can be repeated as is.
    packed_head = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    packed_block = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    packed_tail = squeeze.compress(tail) + squeeze.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(unpacked_mib):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    packed = packed_head + packed_block * unpacked_mib + packed_tail
    size = len(head) + len(block) * unpacked_mib + len(tail)
    others = {n: c for n, c in parts(workbook([["姓名"], ["张三"]])).items() if n != SHEET}
    return _zip([*((n, c, None) for n, c in others.items()), (SHEET, packed, (crc, size))])


def _zip(entries: list[tuple[str, bytes, tuple[int, int] | None]]) -> bytes:
    """A zip archive written by hand: each entry is (name, content, None)
    to deflate, or (name, raw deflate data, (crc, size)) as given."""
    out = io.BytesIO()
    directory = []
    for name, content, given in entries:
        if given is None:
            squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = squeeze.compress(content) + squeeze.flush()
            crc, size = zlib.crc32(content), len(content)
        else:
            data, (crc, size) = content, given
        assert size < 0xFFFFFFFF and len(data) < 0xFFFFFFFF, "zip64 is not written here"
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded))
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + encoded + data)
        directory.append(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start = out.tell()
    for record in directory:
        out.write(record)
    length = out.tell() - start
    count = len(directory)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, length, start, 0))
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<si><t>&lol3;</t></si></sst>"
)
"""A shared-strings part that expands entities (a small billion laughs)."""


def many_shared_strings(count: int) -> bytes:
    """A shared-strings part of ``count`` distinct short strings: a table
    that openpyxl would hold in memory, about 170 bytes a string."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<sst ' + _MAIN + b">"
    body = b"".join(b"<si><t>%d</t></si>" % n for n in range(count))
    return head + body + b"</sst>"
