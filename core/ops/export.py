"""Exporting store contents: records, quarantined rows, customers and the
open proposals, as CSV or XLSX written by :mod:`core.sheets`, so that no
cell can run in Excel.

Exports follow the masking rules of the screens (:mod:`core.masking`):
each export function takes the viewer the file is for, and for a manager
or an auditor every sensitive value is masked, raw cells included, and
free text (notes, a quarantined row's raw text) is withheld. The system
and the roles that see values unmasked get them as stored.

Every bulk export is audited, as a single reveal is: an ``export`` entry
names who exported what (records, quarantine, customers; the batch), to
which file, how many rows and whether masked; the entry's time is when.
The file is written under a hidden temporary name and given its name in
the transaction that appends the entry, so there is never an exported file
without its entry (a failed write or a failed entry leaves no file).
"""

from __future__ import annotations

import csv
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from core import trail
from core.actors import Actor, require
from core.errors import InputError
from core.fields import FIELDS
from core.masking import is_masked, mask, needs_mask
from core.schema import STD_COLUMNS
from core.sheets import safe_csv_cell, write_table
from core.store import Store


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


def _audited(
    store: Store,
    viewer: Actor,
    what: str,
    out: str | Path,
    write: Callable[[Path], int],
    batch_id: int | None = None,
) -> int:
    """Write the export to ``out`` with ``write`` (which returns the rows
    written) and record it, together: the file is written under its own
    name in a hidden folder beside ``out`` (so messages name the right
    file) and moved into place inside the transaction that appends the
    ``export`` entry (ids and counts only)."""
    out = Path(out)
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file, e.g. {out / 'export.csv'}")
    hidden = out.parent / f".{out.name}.{secrets.token_hex(4)}.export"
    staged, placed = hidden / out.name, False
    try:
        hidden.mkdir(parents=True)
        count = write(staged)
        with store.write() as db:
            objects: dict[str, list[int | str]] = {"export": [what]}
            if batch_id is not None:
                objects["batch"] = [batch_id]
            trail.append(
                db.conn, viewer, "export", objects,
                payload={"what": what, "rows": count, "out": str(out),
                         "format": out.suffix.lower().lstrip("."), "masked": needs_mask(viewer),
                         "batch": batch_id},
            )  # fmt: skip
            os.replace(staged, out)
            placed = True
    except BaseException:
        if placed:  # the entry did not commit: no file may stand without it
            out.unlink(missing_ok=True)
        raise
    finally:
        staged.unlink(missing_ok=True)
        if hidden.exists():
            hidden.rmdir()
    return count


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
        The number of records written (and recorded in the ``export`` entry).

    Raises:
        PermissionDenied: the viewer may not read customers.
        InputError: ``out`` is neither ``.csv`` nor ``.xlsx``, or too long
            for an Excel sheet.
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
    rows = _masking(viewer, rules, cursor)
    return _audited(store, viewer, "records", out, lambda path: write_table(path, header, rows))


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
        The number of rows written (and recorded in the ``export`` entry).

    Raises:
        PermissionDenied: the viewer may not read customers.
        InputError: ``out`` is neither ``.csv`` nor ``.xlsx``, or too long
            for an Excel sheet.
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
    rows = _masking(viewer, rules, cursor)
    return _audited(store, viewer, "quarantine", out,
                    lambda path: write_table(path, header, rows), batch_id)  # fmt: skip


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
        The number of customers written (and recorded in the ``export`` entry).

    Raises:
        PermissionDenied: the viewer may not read customers.
        InputError: ``out`` is neither ``.csv`` nor ``.xlsx``, or too long
            for an Excel sheet.
    """
    from core.fields import GOLDEN_FIELDS
    from core.stewardship.customers import golden_rows

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

    header = ["customer_id", "member_record_ids", *GOLDEN_FIELDS]
    return _audited(store, viewer, "customers", out,
                    lambda path: write_table(path, header, rows()))  # fmt: skip


def write_clusters(store: Store, out: str | Path, *, viewer: Actor) -> int:
    """Write the open proposals to ``out`` (UTF-8 CSV), one row per record in
    an open proposal: ``record_id`` is the record's id in its source file
    (the id column's value, or its row number), ``cluster_id`` the
    proposal's id, ``band`` and ``score`` the proposal's.

    Args:
        store: the store.
        out: the CSV file.
        viewer: who exports (recorded in the ``export`` entry).

    Returns:
        The rows written.

    Raises:
        PermissionDenied: the viewer may not read customers.
    """
    require(viewer, "read_customers")
    rows = store.conn.execute(
        "select r.source_record_id, p.id, p.band, p.score from proposals p "
        "join proposal_members m on m.proposal_id = p.id "
        "join source_records r on r.id = m.record_id "
        "where p.status = 'open' order by p.id, m.record_id"
    ).fetchall()

    def write(path: Path) -> int:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "cluster_id", "band", "score"])
            for record, pid, band, score in rows:
                writer.writerow([safe_csv_cell(str(record)), pid, band, f"{score:.6f}"])
        return len(rows)

    return _audited(store, viewer, "clusters", out, write)
