"""Users: accounts with roles and argon2 password hashes, and login.

Contracts:

* Passwords are stored only as argon2id hashes (argon2-cffi); a password is
  never logged, echoed or put in the audit trail.
* :func:`authenticate` answers every failure with the same message, so a
  caller cannot tell an unknown user from a wrong password (no user
  enumeration). After ``login_max_failures`` failures in a row an account
  is locked for ``login_lock_minutes``; a success resets the count.
* Creating users and changing roles is an admin's (or the system's) job,
  recorded in the audit trail.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import trail
from core.actors import LOGIN_ROLES, SYSTEM, Actor, Role, require
from core.clock import utc_now
from core.errors import InputError, PermissionDenied
from core.settings import Settings
from core.store import Store

_HASHER = PasswordHasher()
LOGIN_FAILED = "user name or password is wrong, or the account is locked for a while"
"""The one answer to every failed login."""


def add_user(
    store: Store, username: str, role: Role, password: str, *, actor: Actor = SYSTEM
) -> Actor:
    """Create a user (or reset an existing one's role and password).

    Raises:
        PermissionDenied: ``actor`` may not manage users.
        InputError: a bad user name, role or a password shorter than 4 characters.
    """
    require(actor, "manage_users")
    name = username.strip()
    if not name or any(c.isspace() for c in name) or len(name) > 64:
        raise InputError(f"user name {username!r}: use 1-64 characters without spaces, e.g. li.na")
    if role not in LOGIN_ROLES:
        raise InputError(f"role {role!r}: use one of {', '.join(LOGIN_ROLES)}")
    if len(password) < 4:
        raise InputError("the password is too short; use at least 4 characters")
    digest = _HASHER.hash(password)
    with store.write() as db:
        conn = db.conn
        exists = conn.execute("select id from users where username = ?", (name,)).fetchone()
        if exists:
            conn.execute(
                "update users set role = ?, password_hash = ?, active = 1, failed_logins = 0, "
                "locked_until = null where username = ?",
                (role, digest, name),
            )
        else:
            conn.execute(
                "insert into users (username, role, password_hash, created_at) values (?, ?, ?, ?)",
                (name, role, digest, utc_now()),
            )
        trail.append(
            conn,
            actor,
            "reset_user" if exists else "add_user",
            {"user": [name]},
            payload={"role": role},
        )
    return Actor(name, role)


def authenticate(
    store: Store, username: str, password: str, settings: Settings | None = None
) -> Actor:
    """The actor for a correct user name and password.

    Raises:
        PermissionDenied: with :data:`LOGIN_FAILED`, whatever went wrong.
    """
    settings = settings or store.settings()
    now = datetime.now(timezone.utc)
    ok = False
    with store.write() as db:  # a failure is counted, so it must commit
        conn = db.conn
        row = conn.execute(
            "select role, password_hash, active, failed_logins, locked_until from users "
            "where username = ?",
            (username,),
        ).fetchone()
        if row is None:
            _HASHER.hash(password)  # the same work as a real check: no timing tell
        else:
            role, digest, active, failures, locked_until = row
            locked = bool(locked_until and locked_until > now.isoformat(timespec="seconds"))
            matched = _matches(digest, password)  # always: a locked account answers no faster
            ok = not locked and bool(active) and matched
            if ok:
                conn.execute(
                    "update users set failed_logins = 0, locked_until = null where username = ?",
                    (username,),
                )
            elif not locked:
                _failed(conn, username, int(failures) + 1, now, settings)
    if not ok:
        raise PermissionDenied(LOGIN_FAILED)
    return Actor(username, role)


def role_of(conn: sqlite3.Connection, username: str) -> Role | None:
    """A user's role, or None for an unknown name."""
    row = conn.execute("select role from users where username = ?", (username,)).fetchone()
    return row[0] if row else None


def actor_for(store: Store, username: str) -> Actor:
    """The actor of an existing, active user (for the CLI's ``--actor``).

    Raises:
        InputError: there is no such active user.
    """
    row = store.conn.execute(
        "select role from users where username = ? and active = 1", (username,)
    ).fetchone()
    if row is None:
        raise InputError(
            f"no active user {username!r}; add one with: python -m core users add --db DB "
            f"--username {username} --role steward"
        )
    return Actor(username, row[0])


def _matches(digest: str | None, password: str) -> bool:
    if not digest:
        return False
    try:
        return bool(_HASHER.verify(digest, password))
    except (VerificationError, InvalidHashError):
        return False


def _failed(
    conn: sqlite3.Connection, username: str, failures: int, now: datetime, settings: Settings
) -> None:
    locked = None
    if failures >= int(settings["login_max_failures"]):
        locked = (now + timedelta(minutes=int(settings["login_lock_minutes"]))).isoformat(
            timespec="seconds"
        )
        failures = 0
    conn.execute(
        "update users set failed_logins = ?, locked_until = ? where username = ?",
        (failures, locked, username),
    )
