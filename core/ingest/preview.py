"""A look at a file before it is imported: encoding, mapping, sample rows.

:func:`preview_bytes` reads a file exactly as :func:`core.ingest.importer.import_bytes`
would (the same encoding detection, header search and column mapping) and
standardizes its first rows, so a steward sees what the import will store
and can correct the mapping first. Nothing is written.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from core.fields import Field
from core.ingest.layout import RowPlan, find_header
from core.ingest.mapping import ColumnMapping, map_columns, order_for_join
from core.ingest.tabular import read_table
from core.ingest.workbook import limits as xlsx_limits
from core.settings import Settings
from core.standardize.record import standardize_records


@dataclass(frozen=True, slots=True)
class Preview:
    """How a file would be read, and its first rows standardized."""

    file_format: str
    encoding: str
    header_line: int
    rows_estimate: int
    """Lines (or sheet rows) after the header: at least the data rows, as
    a cell spanning several lines counts each line."""
    mapping: tuple[ColumnMapping, ...]
    sample: tuple[dict[str, str], ...]
    problems: tuple[tuple[int, str], ...]


def preview_bytes(
    data: bytes,
    file_name: str,
    settings: Settings,
    *,
    overrides: Sequence[tuple[str, Field | None]] = (),
    rows: int = 20,
) -> Preview:
    """Read the start of a file as an import would.

    Returns:
        The format, encoding, header line, mapping, and for up to ``rows``
        data rows the raw value and the standardized value with its status
        for each mapped field (``{field}``, ``{field}_std``,
        ``{field}_status``); rows an import would quarantine are listed in
        ``problems`` as (line, reason).

    Raises:
        FileFormatError: the file as a whole cannot be read (as on import).
    """
    table = read_table(
        data,
        file_name,
        max_row_lines=int(settings["max_row_lines"]),
        max_error_share=float(settings["max_decode_error_share"]),
        xlsx_limits=xlsx_limits(settings),
    )
    header, body = find_header(table.rows, file_name, overrides, int(settings["header_scan_rows"]))
    headers = [c.strip() for c in header.cells]
    mapping = map_columns(headers, overrides)
    joins = order_for_join(mapping, overrides)
    plan = RowPlan(headers, mapping, joins, None, settings, pad=table.file_format == "xlsx")
    records: list[dict[str, str | None]] = []
    problems: list[tuple[int, str]] = []
    for raw in itertools.islice(body, rows):
        cells = list(raw.cells)
        issue = raw.problem or plan.problem(cells)
        if issue:
            problems.append((raw.line_number, issue[1]))
            continue
        records.append(plan.record(cells, len(records) + 1))
    fields = [m.field for m in mapping if m.field]
    region = str(settings["default_region"])
    standardized = standardize_records(records, region=region) if records else []
    sample = []
    for record, std in zip(records, standardized, strict=True):
        row: dict[str, str] = {}
        for f in dict.fromkeys(fields):
            row[f] = str(record.get(f) or "")
            row[f"{f}_std"] = str(std.get(f) or "")
            row[f"{f}_status"] = str(std.get(f"{f}_status") or "")
        sample.append(row)
    return Preview(
        table.file_format,
        table.encoding,
        header.line_number,
        max(table.line_count - header.line_number, 0),
        tuple(mapping),
        tuple(sample),
        tuple(problems),
    )
