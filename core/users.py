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
* A signed-in session is a user name and the account's ``session_version``
  at login (:class:`Session`). Resetting a user's role or password, or
  disabling the user, bumps the version, so every open session of that
  user ends on its next request: :func:`session_actor` re-reads the role,
  the active flag and the version from the store each time (the app calls
  it on every rerun), and a page never acts in a role the store no longer
  gives.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import trail
from core.actors import LOGIN_ROLES, SYSTEM, Actor, Role, require
from core.clock import utc_now
from core.errors import InputError, NotFoundError, PermissionDenied
from core.settings import Settings
from core.store import Store

_HASHER = PasswordHasher()
LOGIN_FAILED = "user name or password is wrong, or the account is locked for a while"
"""The one answer to every failed login."""


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in user: the actor and the account's session version at login."""

    actor: Actor
    version: int


@dataclass(frozen=True, slots=True)
class User:
    """One account as an admin sees it (never its password hash)."""

    username: str
    role: str
    active: bool
    created_at: str
    locked_until: str | None


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
            conn.execute(  # a new session version ends every session of the old account
                "update users set role = ?, password_hash = ?, active = 1, failed_logins = 0, "
                "locked_until = null, session_version = session_version + 1 where username = ?",
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
    """The actor for a correct user name and password (see :func:`sign_in`).

    Raises:
        PermissionDenied: with :data:`LOGIN_FAILED`, whatever went wrong.
    """
    return sign_in(store, username, password, settings=settings).actor


def sign_in(
    store: Store, username: str, password: str, *, settings: Settings | None = None
) -> Session:
    """A session for a correct user name and password: the actor and the
    account's session version, which :func:`session_actor` checks later.

    Raises:
        PermissionDenied: with :data:`LOGIN_FAILED`, whatever went wrong.
    """
    settings = settings or store.settings()
    now = datetime.now(timezone.utc)
    ok = False
    with store.write() as db:  # a failure is counted, so it must commit
        conn = db.conn
        row = conn.execute(
            "select role, password_hash, active, failed_logins, locked_until, session_version "
            "from users where username = ?",
            (username,),
        ).fetchone()
        if row is None:
            _HASHER.hash(password)  # the same work as a real check: no timing tell
        else:
            role, digest, active, failures, locked_until, version = row
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
    return Session(Actor(username, role), int(version))


def session_actor(conn: sqlite3.Connection, username: str, version: int) -> Actor | None:
    """The actor of a signed-in session as the store has it now: the user's
    current role, or None when the session must end (the user is gone or
    disabled, or their role or password was reset since: another version).

    Example:
        >>> session_actor(store.conn, "wang.fang", session.version)  # doctest: +SKIP
        Actor(username='wang.fang', role='steward')
    """
    row = conn.execute(
        "select role, active, session_version from users where username = ?", (username,)
    ).fetchone()
    if row is None or not row[1] or int(row[2]) != int(version):
        return None
    return Actor(username, row[0])


def list_users(conn: sqlite3.Connection, viewer: Actor) -> list[User]:
    """Every account, by user name.

    Raises:
        PermissionDenied: ``viewer`` may not manage users.
    """
    require(viewer, "manage_users")
    return [
        User(name, role, bool(active), created, locked)
        for name, role, active, created, locked in conn.execute(
            "select username, role, active, created_at, locked_until from users order by username"
        )
    ]


def disable_user(store: Store, username: str, *, actor: Actor) -> None:
    """Disable an account: it can no longer sign in, and every open session
    of it ends on its next request. ``users add`` (a reset) enables it again.

    Raises:
        PermissionDenied: ``actor`` may not manage users.
        NotFoundError: there is no such user.
    """
    require(actor, "manage_users")
    with store.write() as db:
        conn = db.conn
        changed = conn.execute(
            "update users set active = 0, session_version = session_version + 1 where username = ?",
            (username,),
        ).rowcount
        if not changed:
            raise NotFoundError(_no_user(username))
        trail.append(conn, actor, "disable_user", {"user": [username]})


def _no_user(username: str) -> str:
    return f"no user {username!r}; list the users with: python -m core users list --db DB"


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
