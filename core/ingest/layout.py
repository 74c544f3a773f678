"""A file's layout: where its header is, and how each data row becomes a
record or a quarantine reason.

:func:`find_header` picks the header row among the first rows (title rows
above it are skipped, never lost: rows after the header are all data).
:class:`RowPlan` checks one data row (ragged, a cell over the size limit,
no identifying field, a blank id) and builds the record from the mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from core.errors import FileFormatError, InputError, bounded
from core.fields import FIELDS, Field
from core.ingest.mapping import ColumnMapping, map_columns
from core.ingest.tabular import RawRow
from core.settings import Settings
from core.standardize.text import is_blank


def find_header(
    rows: Iterator[RawRow], file_name: str, overrides: Sequence[tuple[str, Any]], scan: int
) -> tuple[RawRow, Iterator[RawRow]]:
    """The header is the row, among the first ``scan`` non-blank ones, that
    maps the most columns (title rows above it are skipped).

    Returns:
        The header row and an iterator over every row after it.

    Raises:
        FileFormatError: no row has content, or none maps a column.
    """
    buffered: list[RawRow] = []
    candidates: list[int] = []
    for row in rows:
        buffered.append(row)
        if row.problem is None and any(c.strip() for c in row.cells):
            candidates.append(len(buffered) - 1)
        if len(candidates) >= scan:
            break
    if not candidates:
        raise FileFormatError(file_name, "the file has no rows with content")
    best, best_score = -1, 0
    for index in candidates:
        headers = [c.strip() for c in buffered[index].cells]
        try:
            score = sum(1 for m in map_columns(headers, overrides) if m.field)
        except InputError:
            continue
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        # A file without a header starts with a customer: describe that row
        # by its position and the lengths of its cells, never its values.
        first = buffered[candidates[0]]
        lengths = ", ".join(str(len(c.strip())) for c in first.cells[:12])
        more = f" and {len(first.cells) - 12:,} more" if len(first.cells) > 12 else ""
        raise FileFormatError(
            file_name,
            f"no column header matches a customer field in the first {len(candidates)} rows "
            f"(the first, line {first.line_number}, has {len(first.cells):,} cells of "
            f"{lengths}{more} characters); add a header row, or map columns with "
            "--map COLUMN=FIELD, e.g. --map 手机号码=mobile",
        )
    # Every buffered row after the header is data (blank and damaged ones
    # included, so that they are counted and quarantined like the rest).
    return buffered[best], _chain(buffered[best + 1 :], rows)


def _chain(first: list[RawRow], rest: Iterator[RawRow]) -> Iterator[RawRow]:
    yield from first
    yield from rest


class RowPlan:
    """Turns one data row into a record, or into a quarantine reason.

    :meth:`problem` may trim trailing empty cells beyond the header's width
    (Excel writes them), and with ``pad`` fills a short row up to the
    header's width with empty cells; it must be called before
    :meth:`record`, :meth:`values` or :meth:`source_row`. A plan holds
    plain data only, so that it can be sent to worker processes.

    ``pad`` is for XLSX sheets, whose cells carry their column: a row whose
    last cells are blank simply has no cells there, and nothing can have
    shifted. A delimited row with too few cells may have lost a delimiter,
    so it stays ragged. In both, a row with a value beyond the header's
    last column is ragged: that value has no column name.
    """

    def __init__(
        self,
        headers: list[str],
        mapping: Sequence[ColumnMapping],
        joins: dict[Field, list[int]],
        id_index: int | None,
        settings: Settings,
        *,
        pad: bool = False,
    ) -> None:
        self.headers, self.joins, self.id_index = headers, joins, id_index
        self.pad = pad
        self.max_chars = int(settings["max_cell_chars"])
        self.identifying = [f for f in settings["identifying_fields"] if f in joins]
        mapped = {i for indexes in joins.values() for i in indexes}
        self.extra_names = _unique_names(headers)
        self.extra_indexes = [m.index for m in mapping if m.index not in mapped]
        # Per field (FIELDS order): None when unmapped, the column index when
        # one column maps to it, else the list of columns joined.
        self.sources: list[int | list[int] | None] = [
            None if f not in joins else joins[f][0] if len(joins[f]) == 1 else list(joins[f])
            for f in FIELDS
        ]
        self.mapped: list[Field] = [
            f for f, s in zip(FIELDS, self.sources, strict=True) if s is not None
        ]
        """The fields some column maps to (FIELDS order); the others are None."""
        self.identifying_sources = [
            s for f in self.identifying if (s := self.sources[FIELDS.index(f)]) is not None
        ]
        # values() picks the single-column fields in one C call from the
        # cells with a None appended (index -1: unmapped), then fills in the
        # fields joined from several columns.
        self._pick = itemgetter(*(s if isinstance(s, int) else -1 for s in self.sources))
        self._joined = [(n, s) for n, s in enumerate(self.sources) if isinstance(s, list)]

    def problem(self, cells: list[str]) -> tuple[str, str] | None:
        width = len(self.headers)
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            del cells[width:]
        elif self.pad and len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        if len(cells) != width:
            return ("row.ragged", f"the row has {len(cells)} cells but the header has {width}")
        if cells and max(map(len, cells)) > self.max_chars:
            for index, cell in enumerate(cells):
                if len(cell) > self.max_chars:
                    return (
                        "row.cell_too_long",
                        f"column {bounded(repr(self.headers[index]), 80)} holds {len(cell):,} "
                        "characters; "
                        f"the limit is {self.max_chars:,}",
                    )
        for source in self.identifying_sources:
            if not is_blank(_value(cells, source)):
                break
        else:
            shown = ", ".join(self.identifying) or "none mapped"
            return ("row.no_identifier", f"no identifying field has a value ({shown})")
        if self.id_index is not None and not cells[self.id_index].strip():
            name = bounded(repr(self.headers[self.id_index]), 80)
            return ("row.missing_id", f"the id column {name} is blank")
        return None

    def values(self, cells: list[str]) -> tuple[str | None, ...]:
        """The raw value of each canonical field, in FIELDS order (None:
        unmapped); several columns of one field are joined with a space."""
        clean: list[str | None] = [c if c.strip() else "" for c in cells]
        clean.append(None)
        picked: tuple[str | None, ...] = self._pick(clean)
        if not self._joined:
            return picked
        values = list(picked)
        for n, columns in self._joined:
            parts = [c for i in columns if (c := clean[i])]
            values[n] = parts[0] if len(parts) == 1 else " ".join(p.strip() for p in parts)
        return tuple(values)

    def source_row(
        self, cells: list[str], row_number: int, raw_cells: str | None = None
    ) -> tuple[Any, ...]:
        """``(source_record_id, raw_cells, extra, *values)`` for the
        ``source_records`` table (:data:`SOURCE_COLUMNS` without the
        position and batch columns); ``raw_cells`` is
        :func:`encode_cells` of ``cells`` when the caller has it already."""
        source_id = cells[self.id_index].strip() if self.id_index is not None else str(row_number)
        names = self.extra_names
        extra = {names[i]: cells[i] for i in self.extra_indexes if cells[i] != ""}
        if raw_cells is None:
            raw_cells = encode_cells(cells)
        return (source_id, raw_cells, _encode_extra(extra), *self.values(cells))

    def record(self, cells: list[str], row_number: int) -> dict[str, Any]:
        """The record as a dict: every canonical field, ``source_record_id``,
        ``raw_cells`` and ``extra``."""
        row = self.source_row(cells, row_number)
        return dict(zip(("source_record_id", "raw_cells", "extra", *FIELDS), row, strict=True))


# json.dumps(..., ensure_ascii=False) quotes each string with this function
# and separates items with ", " (and keys from values with ": "); it builds
# a new encoder on every call, which costs more than the encoding itself.
_quote = json.encoder.encode_basestring


def encode_cells(cells: list[str]) -> str:
    """A row's cells as stored in ``raw_cells``: exactly
    ``json.dumps(cells, ensure_ascii=False)`` (``json.loads`` gives the
    cells back)."""
    return "[" + ", ".join(map(_quote, cells)) + "]"


def _encode_extra(extra: dict[str, str]) -> str:
    """Exactly ``json.dumps(extra, ensure_ascii=False)``."""
    return "{" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in extra.items()) + "}"


SOURCE_COLUMNS: tuple[str, ...] = ("source_record_id", "raw_cells", "extra", *FIELDS)
"""The columns :meth:`RowPlan.source_row` fills, in its order."""


def _value(cells: list[str], source: int | list[int]) -> str:
    """A field's raw value: its column's cell ('' when blank), or the
    non-blank cells of its columns joined with a space."""
    if isinstance(source, int):
        cell = cells[source]
        return cell if cell.strip() else ""
    parts = [cells[i] for i in source if cells[i].strip()]
    return parts[0] if len(parts) == 1 else " ".join(p.strip() for p in parts)


def _unique_names(headers: list[str]) -> list[str]:
    names: list[str] = []
    for index, header in enumerate(headers):
        name = header or f"column_{index + 1}"
        names.append(name if name not in names else f"{name}#{index + 1}")
    return names
