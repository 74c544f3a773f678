"""Writing the current proposals as ``record_id,cluster_id,band,score``.

One row per record in an open proposal; ``record_id`` is the record's id in
its source file (the id column's value, or its row number), ``cluster_id``
is the proposal's id, and ``band``/``score`` are the proposal's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from core.export import safe_csv_cell
from core.store import Store


def write_clusters(store: Store, out: str | Path) -> int:
    """Write the open proposals to ``out`` (UTF-8 CSV); returns the rows written."""
    rows = store.conn.execute(
        "select r.source_record_id, p.id, p.band, p.score from proposals p "
        "join proposal_members m on m.proposal_id = p.id "
        "join source_records r on r.id = m.record_id "
        "where p.status = 'open' order by p.id, m.record_id"
    ).fetchall()
    with Path(out).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "cluster_id", "band", "score"])
        for record, pid, band, score in rows:
            writer.writerow([safe_csv_cell(str(record)), pid, band, f"{score:.6f}"])
    return len(rows)
