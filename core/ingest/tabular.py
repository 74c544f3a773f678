"""Reading a customer file as rows of text cells.

:func:`read_table` accepts CSV, TSV (and other delimited text) and XLSX. It
never coerces a cell: every cell comes back as the text the file holds, so
leading zeros, ``NA`` and long digit strings survive. Each row keeps where
it starts in the file and its raw text, so that a row that cannot be used
can be quarantined exactly as it was.

Whole-file problems (empty, binary, an old ``.xls``, a corrupt workbook, an
unknown sheet, undecodable text) raise :class:`~core.errors.FileFormatError`.
Row-level problems (undecodable bytes, a NUL byte, a stray quote) are
reported on the row and never raise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from core.errors import FileFormatError
from core.ingest.encoding import decode, escape_undecodable, has_undecodable, split_lines
from core.ingest.workbook import Limits, open_sheet

FileFormat = Literal["csv", "tsv", "xlsx"]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 (.xls) or other OLE file; save it as .xlsx or CSV"),
    (b"%PDF", "a PDF document, not a table"),
    (b"\x89PNG", "a PNG image, not a table"),
    (b"\xff\xd8\xff", "a JPEG image, not a table"),
    (b"GIF8", "a GIF image, not a table"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"SQLite format 3", "a SQLite database, not a table"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = (",", "\t", ";", "|")


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row of a file, before mapping.

    ``problem`` is ``(reason_code, message)`` when the row cannot be used as
    parsed; ``cells`` is then the best-effort parse (possibly empty).
    """

    line_number: int
    cells: list[str]
    raw_text: str
    problem: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A file opened as a table: how it was read, and its rows (lazily)."""

    file_format: FileFormat
    encoding: str
    delimiter: str | None
    sheet: str | None
    rows: Iterator[RawRow]
    line_count: int


def read_table(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_row_lines: int = 50,
    max_error_share: float = 0.01,
    xlsx_limits: Limits | None = None,
) -> Table:
    """Open ``data`` (the bytes of ``file_name``) as a table.

    Args:
        data: the whole file.
        file_name: its name; the extension hints at the delimiter only, the
            format is recognised from the content.
        sheet: the worksheet of an XLSX file (default: the first).
        encoding: force a text encoding instead of detecting it.
        delimiter: force a delimiter instead of sniffing it.
        max_row_lines: a quoted cell spanning more lines is a stray quote.
        max_error_share: see :func:`core.ingest.encoding.decode`.
        xlsx_limits: how much of an XLSX file may be unpacked (see
            :mod:`core.ingest.workbook`).

    Raises:
        FileFormatError: the file as a whole cannot be read as a table.
    """
    if not data.strip():
        raise FileFormatError(file_name, "the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise FileFormatError(file_name, f"this is {what}")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, file_name, sheet, xlsx_limits)
    if sheet:
        raise FileFormatError(file_name, f"--sheet {sheet!r} applies to XLSX files only")
    decoded = decode(data, file_name, encoding=encoding, max_error_share=max_error_share)
    text = decoded.text
    sample = text[:200_000]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise FileFormatError(file_name, "this is a binary file, not a CSV, TSV or XLSX table")
    lines = split_lines(text)
    sep = delimiter or _sniff_delimiter(lines, file_name)
    fmt: FileFormat = "tsv" if sep == "\t" else "csv"
    rows = _delimited_rows(lines, sep, decoded.encoding, max_row_lines, decoded.damaged)
    return Table(fmt, decoded.encoding, sep, None, rows, len(lines))


def _sniff_delimiter(lines: list[str], file_name: str) -> str:
    if file_name.lower().endswith((".tsv", ".tab")):
        return "\t"
    sample = [line for line in lines[:50] if line.strip()]
    best, best_score = ",", 0.0
    for sep in _DELIMITERS:
        counts = [line.count(sep) for line in sample]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        # Consistency matters more than frequency: commas inside a notes
        # column are many but irregular, a real delimiter is regular.
        score = counts.count(mode) / len(counts) * (mode > 0) + min(mode, 50) / 1000
        if score > best_score:
            best, best_score = sep, score
    return best


class _Feeder:
    """Feeds lines to ``csv.reader`` and remembers where each row began.

    It stops feeding when one row has consumed ``limit`` lines, so that a
    stray opening quote cannot swallow the rest of the file.
    """

    def __init__(self, lines: list[str], limit: int) -> None:
        self.lines, self.limit = lines, limit
        self.pos = self.row_start = 0
        self.cut = False

    def __iter__(self) -> _Feeder:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        if self.pos - self.row_start >= self.limit:
            self.cut = True
            raise StopIteration
        line = self.lines[self.pos]
        self.pos += 1
        # NUL is reported on the row; csv before Python 3.11 cannot parse it.
        return line.replace("\x00", "") if "\x00" in line else line


def _delimited_rows(
    lines: list[str], sep: str, encoding: str, limit: int, damaged: bool = True
) -> Iterator[RawRow]:
    """The rows of delimited text; ``damaged`` False says the text holds no
    undecodable bytes at all, so that rows need not be searched for them."""
    # Cell size is checked (and reported) at import; csv must not stop first.
    csv.field_size_limit(2**31 - 1)
    feeder = _Feeder(lines, max(limit, 2))
    while True:
        reader = csv.reader(feeder, delimiter=sep)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                start, end = feeder.row_start, max(feeder.pos, feeder.row_start + 1)
                feeder.pos = feeder.row_start = end
                raw = "".join(lines[start:end])
                yield RawRow(
                    start + 1, [], _printable(raw, encoding), ("row.unparseable", str(exc))
                )
                reader = csv.reader(feeder, delimiter=sep)
                continue
            if feeder.cut:
                break
            start, end = feeder.row_start, feeder.pos
            raw = "".join(lines[start:end])
            feeder.row_start = end
            yield RawRow(
                start + 1,
                cells,
                _printable(raw, encoding, damaged),
                _row_problem(raw, end - start, damaged),
            )
        if not feeder.cut:
            return
        start = feeder.row_start
        line = lines[start]
        yield RawRow(
            start + 1,
            [],
            _printable(line, encoding),
            ("row.stray_quote", f"a quote opened on line {start + 1} is never closed"),
        )
        feeder.pos = feeder.row_start = start + 1
        feeder.cut = False


def _row_problem(raw: str, line_span: int, damaged: bool = True) -> tuple[str, str] | None:
    if damaged and has_undecodable(raw):
        return ("row.undecodable", "the row holds bytes that are not valid in the file's encoding")
    if "\x00" in raw:
        return ("row.nul_byte", "the row holds a NUL byte, a sign of a damaged or binary file")
    if line_span > 1 and raw.count('"') % 2:
        return ("row.stray_quote", "the row has an unbalanced quote and runs over several lines")
    return None


def _printable(raw: str, encoding: str, damaged: bool = True) -> str:
    """The raw row as storable text: undecodable bytes become ``\\xNN`` and
    NUL becomes ``\\x00``; everything else is kept exactly."""
    text = escape_undecodable(raw) if damaged and has_undecodable(raw) else raw
    return text.replace("\x00", "\\x00") if "\x00" in text else text


def _read_xlsx(data: bytes, file_name: str, sheet: str | None, limits: Limits | None) -> Table:
    opened = open_sheet(data, file_name, sheet, limits)
    rows = (RawRow(number, cells, "\t".join(cells)) for number, cells in opened.rows)
    return Table("xlsx", "xlsx", None, opened.name, rows, opened.line_count)
