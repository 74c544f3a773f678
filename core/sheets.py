"""Spreadsheet files that cannot run anything: CSV and XLSX writers safe
against formula injection.

A cell such as ``=HYPERLINK("http://evil", "click")`` typed into a web
form must not become a live formula when a colleague opens an export in
Excel. The rules (OWASP "CSV injection"):

* CSV: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is prefixed with an apostrophe, unless it is a plain
  number such as an E.164 phone (``+8613812345678``) or ``-12.5``, which
  cannot execute and must stay intact.
* XLSX: every text cell is written as a string cell (never a formula or a
  URL), so nothing needs prefixing.

CSV files are written as UTF-8 with a BOM, which Excel needs to show
Chinese text correctly. Every export, report and dashboard download of the
engine goes through this module.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from core.errors import InputError

EXCEL_MAX_ROWS = 1_048_576

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_csv_cell(value: object) -> str:
    """A cell value that spreadsheet programs will not execute.

    Example:
        >>> safe_csv_cell("=1+1"), safe_csv_cell("+8613812345678")
        ("'=1+1", '+8613812345678')
    """
    text = "" if value is None else str(value)
    if text.startswith(_DANGEROUS_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows to ``path`` as CSV or XLSX (chosen by the extension).

    Args:
        path: ``.csv`` or ``.xlsx``.
        header: the column names.
        rows: the rows, streamed (never all held in memory for XLSX either).

    Returns:
        The number of data rows written.

    Raises:
        InputError: the extension is neither, or an XLSX would exceed
            Excel's row limit (use CSV instead).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _write_csv(path, header, rows)
    if suffix == ".xlsx":
        return _write_xlsx(path, header, rows)
    raise InputError(f"{path.name}: choose an output file ending in .csv or .xlsx")


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_csv_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_csv_cell(v) for v in row])
            count += 1
    return count


def _write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet("export")
    count = 0
    try:
        for col, name in enumerate(header):
            sheet.write_string(0, col, str(name))
        for count, row in enumerate(rows, start=1):
            if count >= EXCEL_MAX_ROWS:
                raise InputError(
                    f"{path.name}: more than {EXCEL_MAX_ROWS - 1:,} rows do not fit in an Excel "
                    "sheet; export to .csv instead"
                )
            for col, value in enumerate(row):
                sheet.write_string(count, col, "" if value is None else str(value))
    finally:
        workbook.close()
    return count


Sheet = tuple[Sequence[str], Sequence[Sequence[Any]]]
"""A worksheet: its header and its rows."""


def write_workbook(target: str | Path | BinaryIO, sheets: dict[str, Sheet]) -> None:
    """Write several small sheets to one XLSX file or binary buffer.

    Numbers (int and float, not bool) become number cells so that they can
    be charted and summed; everything else becomes a string cell, so no
    cell is ever a formula, whatever text it holds. None is an empty cell.
    Sheet names are cut to Excel's 31 characters.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target if not isinstance(target, str | Path) else str(target),
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
         "strings_to_urls": False},
    )  # fmt: skip
    bold = workbook.add_format({"bold": True})
    try:
        for name, (header, rows) in sheets.items():
            sheet = workbook.add_worksheet(name[:31])
            for col, title in enumerate(header):
                sheet.write_string(0, col, str(title), bold)
            for r, row in enumerate(rows, start=1):
                for col, value in enumerate(row):
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        sheet.write_number(r, col, value)
                    elif value is not None:
                        sheet.write_string(r, col, str(value))
            sheet.set_column(0, max(len(header) - 1, 0), 16)
    finally:
        workbook.close()
