"""Per-batch quality aggregates, computed once and kept.

Source records never change after import and their standardized values
change only through :func:`core.ingest.recompute.restandardize`, so the
record-level figures of an import batch (per field: how many values are
present, valid, partial, suspect, invalid, typed and already in standard
form; how many records were last active on each day) are computed once per
batch and stored in ``kpi_batch_cache``. The KPIs then add up a few small
JSON objects instead of scanning a million rows.

Invariants:

* A cached entry is used only if its ``std_version`` is the current
  :data:`~core.standardize.record.STD_VERSION` and its record count equals
  the batch's; otherwise it is recomputed.
* :func:`core.ingest.recompute.restandardize` deletes the cache in the same
  transaction as each chunk it rewrites, so no entry outlives the values it
  summarises.
* An import is one transaction, so a batch is never seen half-written,
  and its records have consecutive ids (``first_id`` to ``last_id``), which
  is how a record id is mapped to its batch without reading the record.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from core.clock import utc_now
from core.fields import QUALITY_FIELDS
from core.standardize.record import STD_VERSION
from core.store import Store

COUNTS: tuple[str, ...] = ("present", "valid", "partial", "suspect", "invalid", "typed", "same")
"""What is counted per field: values present (status not ``missing``), by
status, typed (raw cell not blank) and typed valid and already in standard
form (the raw cell equals the standardized value)."""

FORMAT = 2
"""The cached JSON's layout; entries in another layout are recomputed."""

ACTIVITY_SQL = (
    "coalesce(nullif(substr(max(s.updated_at, s.last_contact_at), 1, 10), ''), "
    "nullif(substr(s.created_at, 1, 10), ''), substr(b.imported_at, 1, 10))"
)
"""A record's last activity day: its latest update or contact, else its
creation, else the day it was imported (over ``s`` standardized, ``b``
import_batches)."""


@dataclass(slots=True)
class Tally:
    """Record-level counts for some records: ``fields[f][c]`` for each
    quality field and each of :data:`COUNTS`, and ``activity[day]``."""

    records: int = 0
    first_id: int = 0
    last_id: int = 0
    fields: dict[str, Counter[str]] = field(
        default_factory=lambda: {f: Counter() for f in QUALITY_FIELDS}
    )
    activity: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally, sign: int = 1) -> None:
        """Add (``sign=1``) or subtract (``sign=-1``) another tally."""
        self.records += sign * other.records
        for f in QUALITY_FIELDS:
            for c in COUNTS:
                self.fields[f][c] += sign * other.fields[f][c]
        for day, n in other.activity.items():
            self.activity[day] += sign * n

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "std_version": STD_VERSION,
                "records": self.records,
                "ids": [self.first_id, self.last_id],
                "fields": {f: [self.fields[f][c] for c in COUNTS] for f in QUALITY_FIELDS},
                "activity": dict(sorted(self.activity.items())),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Tally | None:
        """The tally, or None if it was made by another standardizer version
        or in another format."""
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("std_version") != STD_VERSION:
            return None
        first, last = data["ids"]
        tally = cls(records=int(data["records"]), first_id=int(first), last_id=int(last))
        for f in QUALITY_FIELDS:
            tally.fields[f] = Counter(dict(zip(COUNTS, data["fields"][f], strict=True)))
        tally.activity = Counter(data["activity"])
        return tally


def tally_sql(where: str) -> str:
    """One aggregate query over ``standardized s``, ``source_records r`` and
    ``import_batches b`` restricted by ``where``: the record count, then
    the lowest and highest record id, then :data:`COUNTS` for each field. Activity is counted by
    :func:`activity_sql`."""
    parts = ["count(*)", "coalesce(min(r.id), 0)", "coalesce(max(r.id), 0)"]
    for f in QUALITY_FIELDS:
        status, raw = f"s.[{f}_status]", f"trim(coalesce(r.[{f}], ''))"
        parts += [
            f"sum({status} != 'missing')",
            f"sum({status} = 'valid')",
            f"sum({status} = 'partial')",
            f"sum({status} = 'suspect')",
            f"sum({status} = 'invalid')",
            f"sum({raw} != '')",
            f"sum({raw} != '' and {status} = 'valid' and {raw} = s.[{f}])",
        ]
    return (
        f"select {', '.join(parts)} from source_records r "
        "join standardized s on s.record_id = r.id "
        f"join import_batches b on b.id = r.batch_id where {where}"
    )


def activity_sql(where: str) -> str:
    """Records per last-activity day over the same joins as :func:`tally_sql`."""
    return (
        f"select {ACTIVITY_SQL} as day, count(*) from source_records r "
        "join standardized s on s.record_id = r.id "
        f"join import_batches b on b.id = r.batch_id where {where} group by day"
    )


def tally_where(store: Store, where: str, params: list[object]) -> Tally:
    """The tally of the records matching ``where`` (computed live)."""
    row = store.conn.execute(tally_sql(where), params).fetchone()
    tally = Tally(records=int(row[0] or 0), first_id=int(row[1]), last_id=int(row[2]))
    for i, f in enumerate(QUALITY_FIELDS):
        values = row[3 + i * len(COUNTS) : 3 + (i + 1) * len(COUNTS)]
        tally.fields[f] = Counter({c: int(v or 0) for c, v in zip(COUNTS, values, strict=True)})
    tally.activity = Counter(
        {str(d): int(n) for d, n in store.conn.execute(activity_sql(where), params)}
    )
    return tally


def batch_tallies(store: Store, batch_ids: list[int]) -> dict[int, Tally]:
    """The tally of each batch, from the cache where it is current, computed
    (and cached) otherwise."""
    conn = store.conn
    sizes = dict(conn.execute("select id, rows_imported from import_batches").fetchall())
    out: dict[int, Tally] = {}
    marks = ", ".join("?" * len(batch_ids))
    if batch_ids:
        for batch_id, text in conn.execute(
            f"select batch_id, metrics from kpi_batch_cache where batch_id in ({marks})",
            batch_ids,
        ):
            tally = Tally.from_json(text)
            if tally is not None and tally.records == sizes.get(batch_id):
                out[int(batch_id)] = tally
    missing = [b for b in batch_ids if b not in out]
    for batch_id in missing:
        out[batch_id] = tally_where(store, "r.batch_id = ?", [batch_id])
    if missing and not conn.in_transaction:
        with store.write() as db:
            for batch_id in missing:
                db.execute(
                    "insert or replace into kpi_batch_cache (batch_id, metrics, computed_at) "
                    "values (?, ?, ?)",
                    [batch_id, out[batch_id].to_json(), utc_now()],
                )
    return out
