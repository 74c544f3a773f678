"""Steward feedback as links between records.

"Not the same customer" becomes a **cannot-link**; an approved merge
becomes **must-links**. Later matching runs respect both: clustering never
joins cannot-linked records and always joins must-linked ones, and model
training keeps their labels (see :mod:`core.model`).
"""

from __future__ import annotations

from typing import Literal

from core.errors import InputError, NotFoundError
from core.store import Store, utc_now

LinkKind = Literal["must", "cannot"]


def add_link(
    store: Store, record_a: int, record_b: int, kind: LinkKind, *, actor: str,
    decision_id: int | None = None,
) -> None:  # fmt: skip
    """Record that two records are (``must``) or are not (``cannot``) the
    same customer; a later link between the same pair replaces the earlier.

    Raises:
        InputError: the same record twice, or an unknown kind.
        NotFoundError: a record id that does not exist.
    """
    if kind not in ("must", "cannot"):
        raise InputError(f"link kind {kind!r}: use 'must' or 'cannot'")
    low, high = sorted((int(record_a), int(record_b)))
    if low == high:
        raise InputError(f"record {low} cannot be linked to itself")
    found = store.conn.execute(
        "select count(*) from source_records where id in (?, ?)", [low, high]
    ).fetchone()[0]
    if found != 2:
        raise NotFoundError(f"records {low} and {high}: at least one does not exist")
    with store.write() as db:
        db.execute(
            "insert or replace into links (record_id_l, record_id_r, kind, decision_id, "
            "created_at) values (?, ?, ?, ?, ?)",
            [low, high, kind, decision_id, utc_now()],
        )
        del actor  # recorded with the decision in the audit trail (issue 4)
