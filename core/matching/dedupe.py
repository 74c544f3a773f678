"""One-shot deduplication of a file, for batch users and benchmarks.

:func:`dedupe_file` imports a file into a private temporary store (the same
reading, mapping and standardizing rules as ``python -m core import``),
matches it, and writes ``record_id,cluster_id`` for **every** input row:

* ``record_id`` is the value of the id column, or the 1-based data row
  number when there is none;
* records in one cluster share a ``cluster_id`` (the ``record_id`` of the
  cluster's first record); every other record is its own cluster;
* by default the clusters are what a steward approving every proposal in
  the auto and review bands would get; ``min_band="auto"`` keeps only the
  auto band;
* rows the import quarantined are written as singletons too, so nothing a
  user gave is missing from the output.

The temporary store is deleted afterwards; nothing else is written.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from core.actors import Actor
from core.errors import InputError
from core.fields import Field
from core.ingest.importer import import_file
from core.matching.frames import pd
from core.matching.runs import run_match
from core.settings import Settings
from core.store import Store, open_store

Band = Literal["auto", "review"]


def dedupe_file(
    path: str | Path,
    out: str | Path,
    *,
    id_column: str | None = None,
    overrides: Sequence[tuple[str, Field | None]] = (),
    min_band: Band = "review",
    settings: Settings | None = None,
    entity: str = "",
    pairs_out: str | Path | None = None,
) -> dict[str, Any]:
    """Cluster the records of one file and write ``record_id,cluster_id``.

    Args:
        path: a CSV, TSV or XLSX file.
        out: the CSV to write (UTF-8).
        id_column: the column holding each row's id.
        overrides: column → field mappings, as ``import --map``.
        min_band: the weakest band whose proposals count as approved.
        settings: engine settings (defaults when omitted).
        entity: what every record describes ('person', 'organisation';
            '' or 'auto' decides per record), as ``import --entity``.
        pairs_out: also write every candidate pair blocking produced, as
            ``record_id_l,record_id_r`` (with the ids of ``out``), for
            measuring how many true pairs blocking reaches.

    Returns:
        A summary: records, clusters (of two or more), quarantined rows,
        pairs scored and seconds.

    Raises:
        InputError: a bad ``min_band``; FileFormatError: an unreadable file.
    """
    if min_band not in ("auto", "review"):
        raise InputError(f"--min-band {min_band!r}: use 'auto' or 'review'")
    started = time.perf_counter()
    settings = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="dedupe-") as tmp:
        store = open_store(Path(tmp) / "dedupe.db", create=True)
        try:
            store.conn.execute("pragma synchronous = off")
            imported = import_file(
                store, path, source="dedupe", actor=Actor("dedupe", "system"), overrides=overrides,
                id_column=id_column, stage=False, settings=settings, entity=entity,
            )  # fmt: skip
            candidates: list[pd.DataFrame] = []
            keep = candidates.append if pairs_out is not None else None  # millions of pairs
            summary = run_match(store, settings, keep_pairs=False, candidates=keep)
            rows = _cluster_rows(store, id_column is not None, min_band)
            if pairs_out is not None:
                _write_pairs(store, id_column is not None, candidates, pairs_out)
        finally:
            store.close()
    with Path(out).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "cluster_id"])
        writer.writerows(rows)
    clusters = len({c for r, c in rows if r != c} | {c for r, c in rows if c != r})
    return {
        "out": str(out),
        "records": len(rows),
        "quarantined": imported.rows_quarantined,
        "clusters": clusters,
        "pairs_scored": summary.pairs_scored,
        "model_source": summary.model_source,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _cluster_rows(store: Store, by_id: bool, min_band: Band) -> list[tuple[str, str]]:
    """``(record_id, cluster_id)`` for every imported and quarantined row,
    in file order."""
    bands = ("auto",) if min_band == "auto" else ("auto", "review")
    cluster_of: dict[int, int] = {}
    query = (
        "select p.id, m.record_id from proposals p join proposal_members m on m.proposal_id = p.id "
        f"where p.status = 'open' and p.band in ({','.join('?' * len(bands))}) "
        "order by p.id, m.record_id"
    )
    first: dict[int, int] = {}
    for pid, record in store.conn.execute(query, bands):
        first.setdefault(pid, record)
        cluster_of[record] = first[pid]
    names: dict[int, str] = {}
    ordered: list[tuple[int, str, int]] = []
    for rid, row, source_id in store.conn.execute(
        "select id, row_number, source_record_id from source_records"
    ):
        name = source_id if by_id else str(row)
        names[rid] = name
        ordered.append((row, name, rid))
    rows = [(row, name, names[cluster_of.get(rid, rid)]) for row, name, rid in ordered]
    rows += _quarantined(store, by_id)
    rows.sort(key=lambda r: r[0])
    return [(name, cluster) for _, name, cluster in rows]


def _quarantined(store: Store, by_id: bool) -> list[tuple[int, str, str]]:
    """Quarantined rows as singletons: their id read back from the raw text
    when the id column can be found in it, else their row number."""
    batch = store.conn.execute(
        "select headers, id_column, delimiter from import_batches limit 1"
    ).fetchone()
    index = -1
    if batch and by_id and batch[1]:
        headers = json.loads(batch[0])
        index = headers.index(batch[1]) if batch[1] in headers else -1
    out = []
    for row, raw in store.conn.execute("select row_number, raw_text from quarantine"):
        name = str(row)
        if index >= 0:
            cells = next(csv.reader(io.StringIO(raw), delimiter=batch[2] or ","), [])
            name = cells[index].strip() if index < len(cells) and cells[index].strip() else name
        out.append((row, name, name))
    return out


def _write_pairs(store: Store, by_id: bool, found: list[pd.DataFrame], out: str | Path) -> None:
    """The candidate pairs as ``record_id_l,record_id_r``, named as in the
    clusters file (the id column's value, or the row number)."""
    names = {
        rid: (source_id if by_id else str(row))
        for rid, row, source_id in store.conn.execute(
            "select id, row_number, source_record_id from source_records"
        )
    }
    with Path(out).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id_l", "record_id_r"])
        for pairs in found:
            writer.writerows(
                (names[a], names[b])
                for a, b in zip(pairs["id_l"].tolist(), pairs["id_r"].tolist(), strict=True)
            )
