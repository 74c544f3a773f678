"""Read-only overview of a store: what the landing page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.store import Store


@dataclass(frozen=True, slots=True)
class Overview:
    """Counts of the store and its import batches, newest first."""

    records: int
    quarantined: int
    batches: list[dict[str, Any]]
    customers: int = 0
    open_proposals: int = 0


def overview(store: Store, *, limit: int = 50) -> Overview:
    """The record and quarantine counts and the latest ``limit`` batches.

    Each batch dict has ``id``, ``file_name``, ``channel``, ``imported_by``,
    ``imported_at``, ``encoding``, ``rows_read``, ``rows_imported`` and
    ``rows_quarantined``.
    """
    batches = list(
        store.db.query(
            "select id, file_name, channel, imported_by, imported_at, encoding, rows_read,"
            " rows_imported, rows_quarantined from import_batches order by id desc limit ?",
            [limit],
        )
    )
    conn = store.conn
    customers = conn.execute("select count(*) from customers where status = 'active'").fetchone()
    proposals = conn.execute("select count(*) from proposals where status = 'open'").fetchone()
    return Overview(
        store.count("source_records"),
        store.count("quarantine"),
        batches,
        int(customers[0]),
        int(proposals[0]),
    )
