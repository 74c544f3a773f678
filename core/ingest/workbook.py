"""Opening an XLSX workbook safely, and reading all of its rows.

An XLSX file is a zip archive of XML parts, and openpyxl trusts what it
reads: a 2 MB archive can unpack to gigabytes, a sheet's ``<dimension>``
can claim fewer rows and columns than it holds (and read-only openpyxl
then skips the rest without a word), and a damaged part raises whatever the
parser meets first. So, before openpyxl sees a byte:

1. **The archive's directory** is checked: at most :data:`MAX_DIRECTORY`
   bytes of it, every part's declared size summed against
   ``Limits.unpacked_bytes``, and every part over :data:`RATIO_FROM`
   against ``Limits.ratio``. A zip bomb is refused here, having unpacked
   nothing. (Python's zipfile never unpacks more than a part declares, so
   the declared sizes bound the real ones.)
2. **Every part** is streamed once through a window of :data:`CHUNK` bytes
   (constant memory) and refused when it holds a DTD (entity expansion), a
   run of more than :data:`MAX_RUN` bytes without a tag (one giant cell or
   attribute, which the parser would hold whole), more shared strings than
   ``Limits.shared_strings`` (openpyxl keeps them all in memory), a row of
   more than Excel's :data:`MAX_COLUMNS` cells, or row numbers that do not
   rise or pass Excel's :data:`MAX_ROWS` (openpyxl would silently skip a
   row whose number does not rise, and fill in every row up to a huge one).
   The same pass counts each sheet's rows, so the file's size is known
   without trusting its ``<dimension>``.
3. **The sheet** is read with its dimension reset, so every row and column
   that holds a value is read; any failure of the parser, at opening or
   midway, becomes a :class:`~core.errors.FileFormatError` naming the row.

Nothing is written before the whole sheet has been read, so a refusal at
any step leaves the store as it was.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from xml.etree.ElementTree import ParseError

from core.errors import FileFormatError
from core.settings import Settings

# openpyxl warns on stderr about parts it drops ("File contains an invalid
# specification for <sheet name>", "... contains invalid dependency
# definitions"): text from the file, several lines, in the cron log. What
# matters to the import is said by its own result or error, in one line.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")

CHUNK = 1 << 20
"""Bytes of a part examined at a time."""
MAX_RUN = 1 << 20
"""The longest run of bytes without a ``<`` a part may hold: a cell of
Excel's 32,767 characters, escaped, is well under it."""
MAX_DIRECTORY = 1 << 20
"""The largest zip directory read (about 15,000 parts; a workbook has tens)."""
RATIO_FROM = 1 << 20
"""Parts that unpack to less than this are not held to the ratio."""
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
"""Excel's own limits on a sheet."""

# What openpyxl raises on a damaged or hostile workbook, found by fuzzing
# (tests/ingest/test_workbook.py): the zip layer, the XML parser, and the
# conversions of attributes and values it then attempts.
_PARSER_FAILURES: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ParseError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    OverflowError,
    NotImplementedError,
    RecursionError,
)
# What reading a damaged archive raises (zipfile seeks to offsets the
# archive gives, and inflates what it holds).
_ZIP_FAILURES: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
)
_EOCD = b"PK\x05\x06"
_DTD = tuple(
    needle.encode(codec)
    for needle in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
# The root element after the prolog (declaration, comments, processing
# instructions): what kind of part this is, and the prefix of its names.
_ROOT = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", re.S)
_SPACE = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*([^"']*)["']""")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of an XLSX file may be unpacked and held (see module doc)."""

    unpacked_bytes: int = 1024 << 20
    ratio: float = 100.0
    shared_strings: int = 2_000_000


def limits(settings: Settings) -> Limits:
    """The :class:`Limits` of the ``xlsx_*`` settings."""
    return Limits(
        unpacked_bytes=int(settings["xlsx_max_unpacked_mb"]) << 20,
        ratio=float(settings["xlsx_max_ratio"]),
        shared_strings=int(settings["xlsx_max_shared_strings"]),
    )


@dataclass(frozen=True, slots=True)
class Sheet:
    """A worksheet opened for reading.

    ``rows`` yields ``(row number, cells)`` for every row from 1 to the
    last, blank ones included, each cell as the text a person sees and
    trailing blank cells dropped; it raises FileFormatError if the sheet
    turns out to be damaged midway. ``line_count`` is its last row number.
    """

    name: str
    line_count: int
    rows: Iterator[tuple[int, list[str]]]


def open_sheet(
    data: bytes, file_name: str, sheet: str | None, limits: Limits | None = None
) -> Sheet:
    """Check the workbook ``data`` and open one of its sheets.

    Args:
        data: the whole ``.xlsx`` file.
        file_name: its name, for messages.
        sheet: the worksheet's name (default: the first).
        limits: what may be unpacked (default: :class:`Limits`' defaults).

    Raises:
        FileFormatError: the archive or a part breaks a limit, the workbook
            cannot be parsed, or there is no such sheet.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    limits = limits or Limits()
    rows_by_part = _check_archive(data, file_name, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (*_PARSER_FAILURES, InvalidFileException) as exc:
        raise FileFormatError(
            file_name, f"this is not a readable Excel .xlsx workbook ({type(exc).__name__})"
        ) from None
    names = workbook.sheetnames
    if sheet is None:
        if not names:
            workbook.close()
            raise FileFormatError(file_name, "the workbook has no worksheets")
        sheet = names[0]
    elif sheet not in names:
        workbook.close()
        raise FileFormatError(
            file_name, f"unknown sheet {sheet!r}; the sheets are: {', '.join(names)}"
        )
    worksheet = workbook[sheet]
    if not hasattr(worksheet, "reset_dimensions"):  # a chartsheet: no cells
        workbook.close()
        raise FileFormatError(file_name, f"sheet {sheet!r} is a chart, not a table")
    # The stored <dimension> may be stale (other tools write it, and
    # read-only openpyxl stops at it): read what is really there.
    worksheet.reset_dimensions()
    part = str(getattr(worksheet, "_worksheet_path", ""))
    line_count = rows_by_part.get(part, max(rows_by_part.values(), default=0))
    return Sheet(sheet, line_count, _rows(workbook, worksheet, file_name, sheet))


def _rows(
    workbook: Any, worksheet: Any, file_name: str, sheet: str
) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield number, cells
    except _PARSER_FAILURES as exc:
        raise FileFormatError(
            file_name,
            f"sheet {sheet!r} is damaged after row {number:,} ({type(exc).__name__}); "
            "nothing was imported",
        ) from None
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """An XLSX cell as the text a person sees, without float noise."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --- the checks before parsing -------------------------------------------------


def _check_archive(data: bytes, file_name: str, limits: Limits) -> dict[str, int]:
    """Steps 1 and 2 of the module doc; returns each sheet part's last row
    number."""

    def refuse(problem: str) -> FileFormatError:
        return FileFormatError(file_name, problem)

    directory = _directory_size(data)
    if directory is None:
        raise refuse("this is not a readable Excel .xlsx workbook (no zip directory)")
    if directory > MAX_DIRECTORY:
        raise refuse(f"the workbook's zip directory takes {directory:,} bytes, too many parts")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except _ZIP_FAILURES as exc:
        raise refuse(
            f"this is not a readable Excel .xlsx workbook ({type(exc).__name__})"
        ) from None
    total = sum(part.file_size for part in parts)
    if total > limits.unpacked_bytes:
        raise refuse(
            f"its parts would unpack to {total:,} bytes, more than the "
            f"{limits.unpacked_bytes:,} allowed (setting xlsx_max_unpacked_mb); "
            "save it as CSV, or raise the setting"
        )
    for n, part in enumerate(parts, start=1):
        if part.flag_bits & 0x1:
            raise refuse(f"part {n} is encrypted; save the workbook without a password")
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and ratio > limits.ratio:
            raise refuse(
                f"part {n} unpacks {ratio:,.0f} times its size (a zip bomb?); at most "
                f"{limits.ratio:,.0f} is allowed (setting xlsx_max_ratio)"
            )
    rows: dict[str, int] = {}
    for n, part in enumerate(parts, start=1):
        scan = _Scan(limits)
        try:
            for chunk in _unpacked(archive, part):
                scan.feed(chunk)
            scan.close()
        except _Refused as exc:
            raise refuse(f"part {n} ({part.filename[:100]!r}) {exc}") from None
        except _ZIP_FAILURES as exc:
            raise refuse(
                f"part {n} ({part.filename[:100]!r}) is damaged ({type(exc).__name__})"
            ) from None
        if scan.kind == "worksheet":
            rows[part.filename] = scan.row
    return rows


def _unpacked(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes, :data:`CHUNK` at a time (zip failures as they come)."""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def _directory_size(data: bytes) -> int | None:
    """The size the archive's end record gives its central directory (None:
    no end record). A zip64 archive gives 0xFFFFFFFF, which is refused."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        return None
    return int(struct.unpack_from("<I", data, at + 12)[0])


class _Refused(Exception):
    """A part breaks a limit (the message says which)."""


class _Scan:
    """Streams one part and checks it (see the module doc, step 2).

    Bytes are examined up to the last ``<`` seen; what follows it is kept
    for the next chunk, so that no tag is split, and its length is the run
    without a tag that :data:`MAX_RUN` bounds.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.xml = True  # until the part turns out to be something else
        self.kind = ""
        self.prefix = b""
        self.held = b""
        self.started = False
        self.strings = 0
        self.row = 0  # the current row's number
        self.row_bytes = 0
        self.row_cells = 0
        self.row_tag = re.compile(rb"(?!)")
        self.cell_tags: tuple[bytes, ...] = ()

    def feed(self, chunk: bytes) -> None:
        buf = self.held + chunk
        if not self.started:
            self._start(buf)
        if not self.xml:  # an image or the like: openpyxl never parses it
            self.held = b""
            return
        for needle in _DTD:
            if needle in buf:
                raise _Refused("holds a DTD, which a workbook never needs (entity expansion?)")
        cut = buf.rfind(b"<")
        if cut < 0:
            cut = 0
        self.held = buf[cut:]
        if len(self.held) > MAX_RUN:
            raise _Refused(f"holds a run of over {MAX_RUN:,} bytes without a tag")
        if cut:
            self._examine(buf, 0, cut)

    def close(self) -> None:
        if self.xml:
            self._examine(self.held, 0, len(self.held))
        self.held = b""

    def _start(self, buf: bytes) -> None:
        if buf.startswith(_UTF16):
            raise _Refused("is UTF-16 XML; save the workbook again from Excel")
        head = buf.removeprefix(b"\xef\xbb\xbf").lstrip()
        if not head:
            return  # only white space so far
        if not head.startswith(b"<"):
            self.started, self.xml = True, False
            return
        root = _ROOT.match(head)
        if root is None:
            if len(buf) < MAX_RUN:
                return  # not there yet
            raise _Refused("has no XML root element in its first bytes")
        self.started = True
        self.prefix, self.kind = root.group(1) or b"", root.group(2).decode("ascii")
        if self.kind == "worksheet":
            self.row_tag = re.compile(b"<" + re.escape(self.prefix) + rb"row(?=[\s/>])([^>]*)")
            self.cell_tags = tuple(b"<" + self.prefix + b"c" + s for s in _SPACE)
        elif self.kind == "sst":
            self.cell_tags = tuple(b"<" + self.prefix + b"si" + s for s in _SPACE)

    def _examine(self, text: bytes, start: int, end: int) -> None:
        if self.kind == "sst":
            self.strings += sum(text.count(tag, start, end) for tag in self.cell_tags)
            if self.strings > self.limits.shared_strings:
                raise _Refused(
                    f"holds more than {self.limits.shared_strings:,} shared strings "
                    "(setting xlsx_max_shared_strings); save it as CSV, or raise the setting"
                )
        elif self.kind == "worksheet":
            self._rows(text, start, end)

    def _rows(self, text: bytes, start: int, end: int) -> None:
        for match in self.row_tag.finditer(text, start, end):
            self._cells(text, start, match.start())
            found = _ROW_NUMBER.search(match.group(1))
            number = _row_number(found.group(1)) if found else self.row + 1
            if number <= self.row or number > MAX_ROWS:
                raise _Refused(
                    f"numbers a row {number:,} after row {self.row:,}: rows must rise, "
                    f"up to {MAX_ROWS:,}"
                )
            self.row, self.row_bytes, self.row_cells = number, 0, 0
            start = match.start()
        self._cells(text, start, end)

    def _cells(self, text: bytes, start: int, end: int) -> None:
        """Count the current row's cells in ``text[start:end]``, once the
        row is long enough to hold more cells than a row may (a cell takes
        at least 4 bytes, so the bytes before that hold fewer than
        :data:`MAX_COLUMNS`: a row is refused by twice that at the latest)."""
        self.row_bytes += end - start
        if self.row_bytes > 4 * MAX_COLUMNS:
            self.row_cells += sum(text.count(tag, start, end) for tag in self.cell_tags)
            if self.row_cells > MAX_COLUMNS and self.row:
                raise _Refused(f"has more than {MAX_COLUMNS:,} cells in row {self.row:,}")


def _row_number(text: bytes) -> int:
    """A row's ``r`` as openpyxl reads it (an integer, or a whole float)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise _Refused(f"has a row numbered {text[:20]!r}") from None
    if not value.is_integer() or abs(value) > 2 * MAX_ROWS:
        return 2 * MAX_ROWS  # refused as beyond the limit
    return int(value)
