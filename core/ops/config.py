"""Changing a setting: validated, stored in the store, and audited.

The settings themselves (names, defaults, validation) are on the ground
floor, :mod:`core.settings`; a store reads its overrides with
:meth:`core.store.Store.settings`. Changing one is an operation like any
other: it takes an actor, checks the permission table and writes its
audit entry in the same transaction.
"""

from __future__ import annotations

import json
from typing import Any

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.settings import coerce
from core.store import Store


def set_setting(store: Store, name: str, value: Any, *, actor: Actor) -> None:
    """Store an override for one setting, validated against its default's
    type and its own check, with an entry in the audit trail.

    Args:
        store: the open store.
        name: the setting, e.g. ``default_region``.
        value: the new value, or its JSON text (``"30"``, ``'["a", "b"]'``).
        actor: who changes it: an admin, or the system (an operator running
            the command line on the server itself).

    Raises:
        InputError: unknown setting or a value it does not accept.
        PermissionDenied: the actor may not change settings.

    Example:
        >>> set_setting(store, "default_region", "HK", actor=SYSTEM)  # doctest: +SKIP
    """
    require(actor, "settings")
    checked = coerce(name, value)
    with store.write() as db:
        before = db.execute("select value from settings where name = ?", [name]).fetchone()
        db.table("settings").upsert(
            {
                "name": name,
                "value": json.dumps(checked, ensure_ascii=False),
                "updated_at": utc_now(),
                "updated_by": actor.username,
            },
            pk="name",
        )
        trail.append(
            store.conn,
            actor,
            "setting",
            {"setting": [name]},
            payload={"before": json.loads(before[0]) if before else None, "after": checked},
        )
