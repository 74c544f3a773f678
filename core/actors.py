"""Who may do what: actors, roles and the permission table.

Every mutating core function takes an :class:`Actor` and calls
:func:`require` first, so the engine enforces the rules whatever screen or
script calls it. The table :data:`PERMISSIONS` is the single source of
truth; the README documents it and a test checks every cell.

Roles:

* ``steward``: reviews proposals, merges, rejects, picks and edits values,
  attaches and detaches records, unmerges.
* ``manager``: reads quality figures; customer data is masked, and
  customers are found by name and company only (``search_contacts`` is
  not theirs: a search by a full mobile would tell whether it exists).
* ``auditor``: reads everything, including the audit trail; runs audit
  sessions; changes no customer.
* ``admin``: users, settings, backups; changes no customer.
* ``system``: the engine itself (matching runs, auto-merge, imports from
  cron, the demo's synthetic KPI history); it is not a login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.errors import InputError, PermissionDenied

Role = Literal["steward", "manager", "auditor", "admin", "system"]
ROLES: tuple[Role, ...] = ("steward", "manager", "auditor", "admin", "system")
LOGIN_ROLES: tuple[Role, ...] = ("steward", "manager", "auditor", "admin")

PERMISSIONS: dict[str, frozenset[Role]] = {
    "import": frozenset({"steward", "admin", "system"}),
    "match": frozenset({"steward", "admin", "system"}),
    "claim": frozenset({"steward"}),
    "merge": frozenset({"steward"}),
    "reject": frozenset({"steward"}),
    "pick": frozenset({"steward"}),
    "edit": frozenset({"steward"}),
    "attach": frozenset({"steward"}),
    "detach": frozenset({"steward"}),
    "unmerge": frozenset({"steward"}),
    "auto_merge": frozenset({"system"}),
    "read_customers": frozenset({"steward", "auditor", "manager", "admin", "system"}),
    "search_contacts": frozenset({"steward", "admin", "system"}),
    "reveal": frozenset({"steward", "auditor"}),
    "read_audit": frozenset({"auditor", "admin", "system"}),
    "audit_session": frozenset({"auditor"}),
    "read_kpis": frozenset({"steward", "manager", "auditor", "admin", "system"}),
    "snapshot_kpis": frozenset({"manager", "admin", "system"}),
    "synthesize_kpis": frozenset({"system"}),
    "manage_users": frozenset({"admin", "system"}),
    "settings": frozenset({"admin", "system"}),
    "backup": frozenset({"admin", "system"}),
    "retention": frozenset({"admin", "system"}),
    "subject_rights": frozenset({"admin"}),
}
"""Operation -> the roles allowed to perform it."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A user acting in a role (or the system)."""

    username: str
    role: Role

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InputError(f"role {self.role!r} is unknown; use one of {', '.join(ROLES)}")
        if not self.username.strip():
            raise InputError("an actor needs a user name, e.g. Actor('wang.fang', 'steward')")


SYSTEM = Actor("system", "system")
"""The engine acting on its own (auto-merge, scheduled jobs)."""


def allowed(actor: Actor, operation: str) -> bool:
    """Whether ``actor``'s role may perform ``operation``."""
    if operation not in PERMISSIONS:
        raise InputError(f"unknown operation {operation!r}; see core.actors.PERMISSIONS")
    return actor.role in PERMISSIONS[operation]


def require(actor: Actor, operation: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may perform ``operation``.

    Example:
        >>> require(Actor("li.na", "manager"), "merge")
        Traceback (most recent call last):
        ...
        core.errors.PermissionDenied: li.na (manager) may not merge; allowed roles: steward
    """
    if not allowed(actor, operation):
        needed = ", ".join(sorted(PERMISSIONS[operation]))
        raise PermissionDenied(
            f"{actor.username} ({actor.role}) may not {operation.replace('_', ' ')}; "
            f"allowed roles: {needed}"
        )


def permissions_markdown() -> str:
    """The permission table as Markdown (the README shows exactly this)."""
    lines = ["| operation | " + " | ".join(ROLES) + " |", "| --- |" + " --- |" * len(ROLES)]
    for operation, roles in PERMISSIONS.items():
        marks = " | ".join("yes" if r in roles else "—" for r in ROLES)
        lines.append(f"| `{operation}` | {marks} |")
    return "\n".join(lines)
