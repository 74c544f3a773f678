"""Retention of quarantined rows: raw text is not kept forever.

A quarantined row holds the raw line of a customer file (names, phones,
addresses) that could not be imported. The setting
``quarantine_retention_days`` says how long that text is kept; 0 keeps it
forever. ``quarantine_retention_mode`` says what happens after that:

* ``anonymise``: the raw text becomes :func:`marker` (``[removed after 90
  days]``); the row keeps its batch, line and row numbers and its reason, so
  the batch's quarantine figures still add up;
* ``delete``: the row is deleted.

Contracts:

* A row's age is its batch's age: the UTC day of ``import_batches.imported_at``.
  A row is old when that day is before ``today - days`` (strictly more than
  ``days`` days ago).
* Everything is done in one write transaction together with one audit entry
  (``retention``: mode, days, cutoff and counts per batch; never row
  contents), so a purge happens entirely, with its entry, or not at all.
* Running it again changes nothing and writes no entry (anonymised rows are
  recognised by their marker).
* Needs the ``retention`` permission (admin, system).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from core import trail
from core.actors import Actor, require
from core.errors import InputError
from core.settings import Settings
from core.store import Store

Mode = Literal["anonymise", "delete"]

_MARKED = "[removed after % days]"
"""A LIKE pattern matching every marker, whatever the number of days."""

_OLD_BATCHES = "select id from import_batches where substr(imported_at, 1, 10) < :cutoff"


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """What one run of :func:`purge_quarantine` did."""

    mode: Mode
    days: int
    """0: keep forever (nothing was done)."""
    cutoff: str | None
    """Rows of batches imported before this UTC day were old (None for 0 days)."""
    anonymised: int
    deleted: int
    batches: tuple[int, ...]
    """The batches whose rows changed."""
    audit_seq: int | None
    """The ``retention`` entry, or None when nothing changed."""

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode, "days": self.days, "cutoff": self.cutoff,
            "anonymised": self.anonymised, "deleted": self.deleted,
            "batches": list(self.batches), "audit_seq": self.audit_seq,
        }  # fmt: skip


def marker(days: int) -> str:
    """The text that replaces an anonymised row's raw text."""
    return f"[removed after {days} days]"


def purge_quarantine(
    store: Store,
    actor: Actor,
    today: date | str | None = None,
    settings: Settings | None = None,
) -> RetentionResult:
    """Anonymise or delete the quarantined rows older than the retention period.

    Args:
        store: the store.
        actor: who runs it (admin or system; cron runs it as the system).
        today: the day to count from (default: today, UTC), a date or
            ``YYYY-MM-DD``.
        settings: default: the store's settings
            (``quarantine_retention_days``, ``quarantine_retention_mode``).

    Returns:
        The mode, days, cutoff day, rows anonymised or deleted, the batches
        touched and the audit entry (None when nothing changed).

    Raises:
        PermissionDenied: the actor may not apply retention.
        InputError: ``today`` is not a date.

    Example:
        >>> purge_quarantine(store, SYSTEM, today="2026-09-30").anonymised  # doctest: +SKIP
        12
    """
    require(actor, "retention")
    settings = settings or store.settings()
    days = int(settings["quarantine_retention_days"])
    mode: Mode = settings["quarantine_retention_mode"]
    if days == 0:
        _day(today)  # a bad --today is an error even when nothing is due
        return RetentionResult(mode, 0, None, 0, 0, (), None)
    cutoff = (_day(today) - timedelta(days=days)).isoformat()
    text = marker(days)
    with store.write() as db:
        conn = db.conn
        due = (
            f"batch_id in ({_OLD_BATCHES})"
            if mode == "delete"
            else f"batch_id in ({_OLD_BATCHES}) and raw_text not like :marked"
        )
        params = {"cutoff": cutoff, "marked": _MARKED, "text": text}
        per_batch = {
            int(b): int(n)
            for b, n in conn.execute(
                f"select batch_id, count(*) from quarantine where {due} "
                "group by batch_id order by batch_id",
                params,
            )
        }
        changed = sum(per_batch.values())
        if not changed:
            return RetentionResult(mode, days, cutoff, 0, 0, (), None)
        if mode == "delete":
            done = conn.execute(f"delete from quarantine where {due}", params).rowcount
        else:
            done = conn.execute(
                f"update quarantine set raw_text = :text where {due}", params
            ).rowcount
        if done != changed:  # the write lock is held: this would be a bug
            raise RuntimeError(f"retention counted {changed} rows but changed {done}")
        entry = trail.append(
            conn, actor, "retention", {"batch": list(per_batch)},
            reason=f"quarantine_retention_days = {days}",
            payload={"mode": mode, "days": days, "cutoff": cutoff, "rows": changed,
                     "per_batch": {str(b): n for b, n in per_batch.items()}},
        )  # fmt: skip
    return RetentionResult(
        mode, days, cutoff, changed if mode == "anonymise" else 0,
        changed if mode == "delete" else 0, tuple(per_batch), entry.seq,
    )  # fmt: skip


def _day(today: date | str | None) -> date:
    if today is None:
        return datetime.now(timezone.utc).date()
    if isinstance(today, datetime):
        return today.astimezone(timezone.utc).date()
    if isinstance(today, date):
        return today
    try:
        return date.fromisoformat(today)
    except ValueError:
        raise InputError(f"today {today!r}: write the day as YYYY-MM-DD, e.g. 2026-09-30") from None
