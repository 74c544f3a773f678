"""The time the engine stamps on what it writes: UTC, as ISO 8601 text."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """The current UTC time as ISO 8601 text, to the second
    (``2026-12-07T21:19:17+00:00``)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
