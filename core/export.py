"""Exporting store contents to CSV or XLSX, safe against formula injection.

A cell such as ``=HYPERLINK("http://evil", "click")`` typed into a web
form must not become a live formula when a colleague opens the export in
Excel. The rules (OWASP "CSV injection"):

* CSV: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is prefixed with an apostrophe, unless it is a plain
  number such as an E.164 phone (``+8613812345678``) or ``-12.5``, which
  cannot execute and must stay intact.
* XLSX: every cell is written as a string cell (never a formula, number or
  URL), so nothing needs prefixing.

CSV files are written as UTF-8 with a BOM, which Excel needs to show
Chinese text correctly.

Exports follow the masking rules of the screens (:mod:`core.masking`):
each export function takes the viewer the file is for, and for a manager
or an auditor every sensitive value is masked, raw cells included, and
free text (notes, a quarantined row's raw text) is withheld. The system
and the roles that see values unmasked get them as stored.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from core.actors import Actor, require
from core.errors import InputError
from core.fields import FIELDS
from core.masking import is_masked, mask, needs_mask
from core.schema import STD_COLUMNS
from core.store import Store

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


def _masking(
    viewer: Actor, columns: Sequence[str | None], rows: Iterable[Sequence[Any]]
) -> Iterable[Sequence[Any]]:
    """``rows`` as ``viewer`` may see them; ``columns`` names the masking
    rule of each position (a field or standardized column; None: never
    masked)."""
    if not needs_mask(viewer):
        return rows
    plan = [(i, c) for i, c in enumerate(columns) if c is not None and is_masked(c)]

    def masked_rows() -> Iterator[list[Any]]:
        for row in rows:
            out = list(row)
            for i, column in plan:
                if isinstance(out[i], str):
                    out[i] = mask(column, out[i])
            yield out

    return masked_rows()


def export_records(store: Store, out: str | Path, *, viewer: Actor) -> int:
    """Write one row per source record: its ids, batch and position, the raw
    value of each canonical field and every standardized value with its
    status and reason code.

    Args:
        store: the store.
        out: ``FILE.csv`` or ``FILE.xlsx``.
        viewer: who the file is for; for a role that masks, sensitive raw
            and standardized values are masked and notes withheld.

    Returns:
        The number of records written.

    Raises:
        PermissionDenied: the viewer may not read customers.
    """
    require(viewer, "read_customers")
    raw = [f"raw_{f}" for f in FIELDS]
    header = ["record_id", "source_record_id", "channel", "batch_id", "file_name",
              "row_number", "line_number", *raw, *STD_COLUMNS]  # fmt: skip
    select = ", ".join(
        ["r.id", "r.source_record_id", "r.channel", "r.batch_id", "b.file_name",
         "r.row_number", "r.line_number"]
        + [f"r.[{f}]" for f in FIELDS]
        + [f"s.[{c}]" for c in STD_COLUMNS]
    )  # fmt: skip
    cursor = store.conn.execute(
        f"select {select} from source_records r join import_batches b on b.id = r.batch_id "
        "left join standardized s on s.record_id = r.id order by r.id"
    )
    rules: list[str | None] = [None] * 7 + [*FIELDS, *STD_COLUMNS]
    return write_table(out, header, _masking(viewer, rules, cursor))


def export_quarantine(
    store: Store, out: str | Path, *, viewer: Actor, batch_id: int | None = None
) -> int:
    """Write the quarantined rows (all, or one batch's) with their reasons.

    A quarantined row is raw text that could not be split into fields
    reliably, so its phones and e-mails cannot be found to be masked one by
    one: for a viewer whose role masks, ``raw_text`` is withheld whole
    (``***``), and batch, position and reason stay, which is what judging a
    source's quality needs.

    Args:
        store: the store.
        out: ``FILE.csv`` or ``FILE.xlsx``.
        viewer: who the file is for.
        batch_id: only this batch's rows.

    Returns:
        The number of rows written.

    Raises:
        PermissionDenied: the viewer may not read customers.
    """
    require(viewer, "read_customers")
    header = ["batch_id", "file_name", "channel", "row_number", "line_number",
              "reason_code", "reason", "raw_text"]  # fmt: skip
    where, params = ("where q.batch_id = ?", [batch_id]) if batch_id is not None else ("", [])
    cursor = store.conn.execute(
        "select q.batch_id, b.file_name, b.channel, q.row_number, q.line_number, q.reason_code,"
        " q.reason, q.raw_text from quarantine q join import_batches b on b.id = q.batch_id "
        f"{where} order by q.id",
        params,
    )
    rules: list[str | None] = [None] * (len(header) - 1) + ["raw_text"]
    return write_table(out, header, _masking(viewer, rules, cursor))


def export_customers(store: Store, out: str | Path, *, viewer: Actor) -> int:
    """Write one row per active customer: ``customer_id``, ``member_record_ids``
    (the members' source record ids, ``;``-separated) and the surviving value
    of each golden field (a multi-valued field lists every value, primary
    first, ``;``-separated).

    Args:
        store: the store.
        out: ``FILE.csv`` or ``FILE.xlsx``.
        viewer: who the file is for; for a role that masks, each sensitive
            value is masked (one by one, before they are joined).

    Returns:
        The number of customers written.

    Raises:
        PermissionDenied: the viewer may not read customers.
    """
    from core.customers import GOLDEN_FIELDS, golden_rows

    require(viewer, "read_customers")
    settings = store.settings()
    conn = store.conn
    hide = needs_mask(viewer)

    def rows() -> Iterator[list[str]]:
        for cid, _, names, values in golden_rows(conn, settings):
            yield [
                str(cid),
                ";".join(names),
                *(
                    "; ".join(mask(f, v) if hide else v for v in values.get(f, []))
                    for f in GOLDEN_FIELDS
                ),
            ]

    return write_table(out, ["customer_id", "member_record_ids", *GOLDEN_FIELDS], rows())


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
