"""Users: accounts with roles and argon2 password hashes, and login.

Contracts:

* Passwords are stored only as argon2id hashes (argon2-cffi); a password is
  never logged, echoed or put in the audit trail.
* :func:`authenticate` answers every failure with the same message, so a
  caller cannot tell an unknown user from a wrong password (no user
  enumeration), after the same hashing work.
* No account is ever locked for everyone. Failed logins are throttled per
  client (``login_max_failures`` free, then each further attempt from that
  client waits 1 s, 2 s, 4 s … up to ``login_lock_minutes``) and per user
  name as typed, known or not (``login_name_max_failures`` free, then waits
  up to ``login_name_max_delay_seconds``, which does not hold up a client
  the user signed in from before). An attempt during a wait is refused
  with :class:`~core.errors.LoginThrottled` before any hashing, and is not
  counted. Failures older than ``login_forget_minutes`` are forgotten; a
  success clears its client's and its name's counts. An admin clears a
  name's wait with :func:`unlock_user`.
* argon2 (about 0.1 s) runs outside any transaction: the store's write
  lock is taken only for the few statements that count a failure or
  clear it, so bad logins cannot stall the stewards' writes.
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
from core.errors import InputError, LoginThrottled, NotFoundError, PermissionDenied
from core.settings import Settings
from core.store import Store

_HASHER = PasswordHasher()
LOGIN_FAILED = "user name or password is wrong, or the account is disabled"
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
    waits_until: str | None
    """Until when the name must wait after failed logins (None: it need not)."""


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
    store: Store,
    username: str,
    password: str,
    *,
    client: str = "",
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Session:
    """A session for a correct user name and password: the actor and the
    account's session version, which :func:`session_actor` checks later.

    Args:
        store: the store.
        username: the name as typed.
        password: the password as typed.
        client: who is trying, as far as the caller can tell (the app
            passes the browser's address); failures are throttled per
            client and per name.
        settings: the login settings (the store's by default).
        now: the time of the attempt (tests); now by default.

    Raises:
        LoginThrottled: the client or the name must wait (nothing was
            checked or counted); its message says how long.
        PermissionDenied: with :data:`LOGIN_FAILED`, whatever else went wrong.
    """
    settings = settings or store.settings()
    now = now or datetime.now(timezone.utc)
    conn = store.conn
    wait = login_wait(conn, username, client, now)
    if wait > 0:
        raise LoginThrottled(wait)
    row = conn.execute(  # a plain read: no transaction is open while argon2 runs
        "select role, password_hash, active, locked_until, session_version from users "
        "where username = ?",
        (username,),
    ).fetchone()
    if row is None:
        _HASHER.hash(password)  # the same work as a real check: no timing tell
        ok, digest, version = False, None, 0
        role: Role = "steward"  # never returned: ok is False
    else:
        role, digest, active, locked_until, version = row
        # an account locked before throttling replaced locking stays locked until then
        locked = bool(locked_until and locked_until > _stamp(now))
        ok = _matches(digest, password) and bool(active) and not locked
    with store.write() as db:  # a few statements: count the failure, or clear the counts
        conn = db.conn
        if ok:
            current = conn.execute(
                "select password_hash, active, session_version from users where username = ?",
                (username,),
            ).fetchone()
            ok = current == (digest, 1, version)  # not reset or disabled while hashing
        if ok:
            conn.execute(
                "delete from login_throttle where key in (?, ?)",
                (_key("name", username), _key("client", client)),
            )
            conn.execute(
                "insert into login_clients (username, client, last_ok_at) values (?, ?, ?) "
                "on conflict (username, client) do update set last_ok_at = excluded.last_ok_at",
                (username, client, _stamp(now)),
            )
        else:
            _failed(conn, username, client, now, settings)
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
    """Every account, by user name, with until when its name must wait
    after failed logins (None when it need not).

    Raises:
        PermissionDenied: ``viewer`` may not manage users.
    """
    require(viewer, "manage_users")
    now = _stamp(datetime.now(timezone.utc))
    out = []
    for name, role, active, created, until in conn.execute(
        "select u.username, u.role, u.active, u.created_at, max(coalesce(u.locked_until, ''), "
        "coalesce((select t.wait_until from login_throttle t where t.key = 'name:' || "
        "u.username), '')) from users u order by u.username"
    ):
        out.append(User(name, role, bool(active), created, until if until > now else None))
    return out


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


def unlock_user(store: Store, username: str, *, actor: Actor) -> None:
    """Let a user name try again at once: clears its failed logins and its
    wait (and a lock left from before throttling replaced locking). Clients
    that failed keep their own waits.

    Raises:
        PermissionDenied: ``actor`` may not manage users.
        NotFoundError: there is no such user.
    """
    require(actor, "manage_users")
    with store.write() as db:
        conn = db.conn
        changed = conn.execute(
            "update users set failed_logins = 0, locked_until = null where username = ?",
            (username,),
        ).rowcount
        if not changed:
            raise NotFoundError(_no_user(username))
        conn.execute("delete from login_throttle where key = ?", (_key("name", username),))
        trail.append(conn, actor, "unlock_user", {"user": [username]})


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


def _key(kind: str, value: str) -> str:
    return f"{kind}:{value}"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def login_wait(
    conn: sqlite3.Connection, username: str, client: str, now: datetime | None = None
) -> float:
    """Seconds a login attempt of ``client`` on ``username`` must still wait
    (0: none): the client's wait, and the name's unless the user signed in
    from this client before. Reads only; counts nothing."""
    now = now or datetime.now(timezone.utc)
    waits = dict(
        conn.execute(
            "select key, wait_until from login_throttle where key in (?, ?) and wait_until > ?",
            (_key("client", client), _key("name", username), _stamp(now)),
        ).fetchall()
    )
    if (
        _key("name", username) in waits
        and conn.execute(
            "select 1 from login_clients where username = ? and client = ?", (username, client)
        ).fetchone()
    ):
        del waits[_key("name", username)]
    if not waits:
        return 0.0
    until = max(datetime.fromisoformat(w) for w in waits.values())
    return max((until - now).total_seconds(), 0.001)


def _failed(
    conn: sqlite3.Connection, username: str, client: str, now: datetime, settings: Settings
) -> None:
    """Count a failed login against the client and the name (inside the
    caller's write transaction), and set each one's next wait."""
    forget = _stamp(now - timedelta(minutes=int(settings["login_forget_minutes"])))
    conn.execute("delete from login_throttle where last_failed_at < ?", (forget,))
    limits = {
        _key("client", client): (
            int(settings["login_max_failures"]),
            60.0 * float(settings["login_lock_minutes"]),
        ),
        _key("name", username): (
            int(settings["login_name_max_failures"]),
            float(settings["login_name_max_delay_seconds"]),
        ),
    }
    for key, (free, cap) in limits.items():
        row = conn.execute("select failures from login_throttle where key = ?", (key,)).fetchone()
        failures = (int(row[0]) if row else 0) + 1
        delay = min(cap, 2.0 ** (failures - free - 1)) if failures > free else 0.0
        wait_until = _stamp(now + timedelta(seconds=delay)) if delay > 0 else None
        conn.execute(
            "insert into login_throttle (key, failures, last_failed_at, wait_until) "
            "values (?, ?, ?, ?) on conflict (key) do update set failures = excluded.failures, "
            "last_failed_at = excluded.last_failed_at, wait_until = excluded.wait_until",
            (key, failures, _stamp(now), wait_until),
        )
