"""Recomputing standardized values from the immutable source records.

Standardized values are derived data: they depend only on a record's raw
canonical fields and the settings. When a standardizer improves (and
:data:`~core.standardize.record.STD_VERSION` is bumped) or a setting such
as ``default_region`` changes, :func:`restandardize` brings them up to
date. Each chunk is its own transaction and every row carries its version,
so an interrupted run leaves a consistent store and can simply be re-run.
The per-batch KPI aggregates are dropped in the same transactions.
"""

from __future__ import annotations

from core.fields import FIELDS
from core.ingest.importer import Progress
from core.settings import Settings
from core.standardize.record import STD_VERSION, standardized_rows
from core.store import Store


def restandardize(
    store: Store,
    *,
    everything: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    chunk: int = 5000,
) -> int:
    """Recompute the standardized row of every stale record (or of all).

    Args:
        store: the open store.
        everything: recompute all records, not only those whose
            ``std_version`` differs from the current one.
        settings: engine settings; the store's by default.
        progress: called with (records done, records to do) per chunk.
        chunk: records per transaction.

    Returns:
        The number of records recomputed.
    """
    settings = settings or store.settings()
    stale = "" if everything else f"where s.std_version is null or s.std_version != {STD_VERSION}"
    base = (
        "from source_records r join import_batches b on b.id = r.batch_id "
        f"left join standardized s on s.record_id = r.id {stale}"
    )
    total = int(store.conn.execute(f"select count(*) {base}").fetchone()[0])
    columns = ", ".join(f"r.[{f}]" for f in FIELDS)
    done, last_id = 0, 0
    while True:
        rows = store.conn.execute(
            f"select r.id, b.entity, {columns} {base} {'and' if stale else 'where'} r.id > ? "
            "order by r.id limit ?",
            [last_id, chunk],
        ).fetchall()
        if not rows:
            break
        values = []
        region = str(settings["default_region"])
        for entity in sorted({row[1] for row in rows}):  # the import's --entity, if any
            mine = [row for row in rows if row[1] == entity]
            records = [dict(zip(FIELDS, row[2:], strict=True)) for row in mine]
            values += standardized_rows(
                [row[0] for row in mine], records, region=region, entity=entity
            )
        with store.write() as db:
            db.table("standardized").upsert_all(values, pk="record_id", columns=None)
            db.execute("delete from kpi_batch_cache")  # it summarised the old values
        done += len(rows)
        last_id = rows[-1][0]
        if progress is not None:
            progress(done, total)
    return done
