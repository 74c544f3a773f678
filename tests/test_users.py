"""Users: argon2 hashes, one answer to every failed login, throttling instead of lockout,
sessions that end when the account changes, and the admin's commands."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import InputError, LoginThrottled, NotFoundError, PermissionDenied
from core.settings import Settings
from core.users import (
    LOGIN_FAILED,
    actor_for,
    add_user,
    authenticate,
    disable_user,
    list_users,
    login_wait,
    session_actor,
    sign_in,
    unlock_user,
)
from tests.conftest import run_cli
from tests.test_permission_matrix import CountingHasher


def test_a_user_logs_in_with_the_right_password_and_the_hash_is_argon2(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    assert authenticate(store, "wang.fang", "s3cret") == Actor("wang.fang", "steward")
    digest = store.conn.execute("select password_hash from users").fetchone()[0]
    assert digest.startswith("$argon2id$") and "s3cret" not in digest


@pytest.mark.parametrize(("user", "password"), [("wang.fang", "wrong"), ("nobody", "s3cret")])
def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(store, user, password):
    add_user(store, "wang.fang", "steward", "s3cret")
    with pytest.raises(PermissionDenied) as caught:
        authenticate(store, user, password)
    assert str(caught.value) == LOGIN_FAILED


# --- failed logins are throttled per client and per name, never locked (issue 14, finding 10)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
FEW = Settings({"login_max_failures": 3, "login_name_max_failures": 6,
                "login_name_max_delay_seconds": 30, "login_lock_minutes": 15})  # fmt: skip


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def fail(store, name: str, client: str, when: datetime, settings: Settings = FEW) -> None:
    with pytest.raises(PermissionDenied, match=LOGIN_FAILED):
        sign_in(store, name, "wrong", client=client, settings=settings, now=when)


def waits(store, name: str, client: str, when: datetime) -> int:
    """Whole seconds an attempt of ``client`` on ``name`` at ``when`` must wait."""
    return math.ceil(login_wait(store.conn, name, client, when))


def test_wrong_passwords_from_one_client_slow_that_client_and_never_lock_out_the_account(store):
    # issue 14: five wrong passwords from any browser locked `admin` for 15 minutes
    add_user(store, "admin", "admin", "s3cret")
    for i in range(3):  # free
        fail(store, "admin", "attacker", at(i))
    delays = []
    moment = 3.0
    for _ in range(5):
        fail(store, "admin", "attacker", at(moment))
        delays.append(waits(store, "admin", "attacker", at(moment)))  # refused, not counted
        moment += delays[-1]
    assert delays == [1, 2, 4, 8, 16]  # growing
    with pytest.raises(LoginThrottled):  # even the right password waits, from that client
        sign_in(store, "admin", "s3cret", client="attacker", settings=FEW, now=at(moment - 1))
    session = sign_in(store, "admin", "s3cret", client="office", settings=FEW, now=at(moment - 1))
    assert session.actor == Actor("admin", "admin")  # the real admin, elsewhere, gets in


def test_a_name_tried_from_many_clients_waits_briefly_but_not_for_a_client_it_knows(store):
    add_user(store, "admin", "admin", "s3cret")
    sign_in(store, "admin", "s3cret", client="office", settings=FEW, now=at(0))
    for i in range(12):  # twelve clients, one guess each, 31 s apart: the name's count grows
        fail(store, "admin", f"bot-{i}", at(31 * (i + 1)))
    last = 31 * 12
    assert waits(store, "admin", "bot-new", at(last)) == 30  # the name waits, capped at 30 s
    assert waits(store, "admin", "bot-0", at(last)) == 30  # one guess: no wait of its own
    with pytest.raises(LoginThrottled):
        sign_in(store, "admin", "s3cret", client="laptop", settings=FEW, now=at(last + 1))
    assert waits(store, "admin", "office", at(last + 1)) == 0  # a client the admin used
    known = sign_in(store, "admin", "s3cret", client="office", settings=FEW, now=at(last + 1))
    assert known.actor.role == "admin"
    assert waits(store, "admin", "bot-new", at(last + 1)) == 0  # and a success clears the name


def test_a_throttled_attempt_costs_no_hash_and_answers_alike_for_known_and_unknown_names(
    store, monkeypatch
):
    from core import users

    add_user(store, "wang.fang", "steward", "s3cret")
    answers = []
    for name in ("wang.fang", "nobody"):
        for i in range(4):
            fail(store, name, f"c-{name}", at(i))
        hasher = CountingHasher(users._HASHER)
        monkeypatch.setattr(users, "_HASHER", hasher)
        with pytest.raises(LoginThrottled) as refused:
            sign_in(store, name, "wrong", client=f"c-{name}", settings=FEW, now=at(3.5))
        monkeypatch.undo()
        answers.append(str(refused.value))
        assert hasher.work == 0  # refused before argon2: a throttled flood costs no CPU
    assert answers[0] == answers[1] and "wait 1 s" in answers[0]


def test_failed_logins_are_forgotten_after_a_while_and_cleared_by_a_success(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    for i in range(4):
        fail(store, "wang.fang", "desk", at(i))
    assert waits(store, "wang.fang", "desk", at(3.5)) == 1
    later = at(3 + 60 * 60 + 1)  # login_forget_minutes (60) after the last failure
    for i in range(3):  # three free failures again: the old ones no longer count
        fail(store, "wang.fang", "desk", later + timedelta(seconds=i))
    assert waits(store, "wang.fang", "desk", later + timedelta(seconds=2)) == 0
    fail(store, "wang.fang", "desk", later + timedelta(seconds=3))
    assert waits(store, "wang.fang", "desk", later + timedelta(seconds=3)) == 1
    moment = later + timedelta(seconds=5)
    sign_in(store, "wang.fang", "s3cret", client="desk", settings=FEW, now=moment)
    fail(store, "wang.fang", "desk", moment)
    assert waits(store, "wang.fang", "desk", moment) == 0  # the success cleared the count


def test_an_admin_lifts_a_names_wait_and_the_unlock_is_audited(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    for i in range(8):
        fail(store, "wang.fang", f"bot-{i}", at(i))
    assert waits(store, "wang.fang", "new-desk", at(8)) > 0
    with pytest.raises(PermissionDenied, match="may not manage users"):
        unlock_user(store, "wang.fang", actor=Actor("li", "steward"))
    unlock_user(store, "wang.fang", actor=Actor("root", "admin"))
    assert waits(store, "wang.fang", "new-desk", at(8)) == 0
    entry = trail.entries_for(store.conn, "user", "wang.fang")[-1]
    assert (entry.action, entry.actor, entry.role) == ("unlock_user", "root", "admin")
    with pytest.raises(NotFoundError, match="no user 'ghost'"):
        unlock_user(store, "ghost", actor=SYSTEM)


def test_an_account_locked_before_the_upgrade_stays_locked_until_an_admin_unlocks_it(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    with store.write() as db:
        db.execute("update users set locked_until = '2999-01-01T00:00:00+00:00'")
    with pytest.raises(PermissionDenied, match=LOGIN_FAILED):
        authenticate(store, "wang.fang", "s3cret")
    assert [u.waits_until for u in list_users(store.conn, SYSTEM)] == ["2999-01-01T00:00:00+00:00"]
    unlock_user(store, "wang.fang", actor=SYSTEM)
    assert authenticate(store, "wang.fang", "s3cret").role == "steward"


def test_argon2_runs_outside_any_transaction_so_bad_logins_never_hold_the_write_lock(
    store, monkeypatch
):
    # issue 14: authenticate hashed inside a write transaction; with 8 parallel bad
    # logins, 3 of 4 steward rejects on the CLI failed with "database is locked"
    from core import users

    add_user(store, "wang.fang", "steward", "s3cret")
    other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    seen = []

    class Probe(CountingHasher):
        def _probe(self) -> None:
            seen.append(store.conn.in_transaction)
            other.execute("begin immediate")  # "database is locked" if a writer holds it
            other.execute("rollback")

        def hash(self, password: str) -> str:
            self._probe()
            return super().hash(password)

        def verify(self, digest: str, password: str) -> bool:
            self._probe()
            return super().verify(digest, password)

    monkeypatch.setattr(users, "_HASHER", Probe(users._HASHER))
    for name, password in (("wang.fang", "wrong"), ("nobody", "x"), ("wang.fang", "s3cret")):
        try:
            sign_in(store, name, password, client="c")
        except PermissionDenied:
            pass
    other.close()
    assert seen == [False, False, False]


def test_only_an_admin_manages_users(store):
    with pytest.raises(PermissionDenied):
        add_user(store, "x", "steward", "pass", actor=Actor("li", "steward"))
    with pytest.raises(InputError, match="use one of steward, manager, auditor, admin"):
        add_user(store, "x", "system", "pass")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="without spaces"):
        add_user(store, "li na", "steward", "pass")


@pytest.mark.slow
def test_the_cli_reads_the_password_from_the_environment_or_stdin_never_argv(store):
    add = ["users", "add", "--db", str(store.path), "--username", "li.na", "--role", "auditor"]
    done = run_cli(*add, stdin="from-stdin\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"username": "li.na", "role": "auditor"}
    assert authenticate(store, "li.na", "from-stdin").role == "auditor"
    assert "from-stdin" not in done.stdout + done.stderr
    assert actor_for(store, "li.na") == Actor("li.na", "auditor")
    with pytest.raises(InputError, match="no active user 'ghost'"):
        actor_for(store, "ghost")
    again = run_cli(*add, env={"STEWARD_PASSWORD": "from-env"}, stdin="ignored\n")
    assert again.returncode == 0 and authenticate(store, "li.na", "from-env").role == "auditor"


# --- sessions end when the account changes (issue 14, finding 9) -------------------------


def test_a_role_or_password_reset_or_a_disable_ends_the_users_open_sessions(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    add_user(store, "li.na", "manager", "pw12")
    first = sign_in(store, "wang.fang", "s3cret")
    assert session_actor(store.conn, "wang.fang", first.version) == Actor("wang.fang", "steward")
    add_user(store, "li.na", "auditor", "pw12")  # someone else's account
    assert session_actor(store.conn, "wang.fang", first.version) == first.actor
    add_user(store, "wang.fang", "manager", "s3cret")  # demoted
    assert session_actor(store.conn, "wang.fang", first.version) is None
    second = sign_in(store, "wang.fang", "s3cret")
    assert second.actor.role == "manager" and second.version > first.version
    add_user(store, "wang.fang", "manager", "n3w-one")  # the password reset
    assert session_actor(store.conn, "wang.fang", second.version) is None
    third = sign_in(store, "wang.fang", "n3w-one")
    disable_user(store, "wang.fang", actor=Actor("root", "admin"))
    assert session_actor(store.conn, "wang.fang", third.version) is None
    with pytest.raises(PermissionDenied, match=LOGIN_FAILED):
        sign_in(store, "wang.fang", "n3w-one")
    assert session_actor(store.conn, "ghost", 1) is None


def test_only_an_admin_lists_and_disables_users_and_a_disable_is_audited(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    add_user(store, "root", "admin", "adm1n")
    for role in ("steward", "manager", "auditor"):
        with pytest.raises(PermissionDenied, match="may not manage users"):
            list_users(store.conn, Actor("x", role))  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied, match="may not manage users"):
            disable_user(store, "wang.fang", actor=Actor("x", role))  # type: ignore[arg-type]
    admin = Actor("root", "admin")
    assert [(u.username, u.role, u.active) for u in list_users(store.conn, admin)] == [
        ("root", "admin", True),
        ("wang.fang", "steward", True),
    ]
    disable_user(store, "wang.fang", actor=admin)
    assert [u.active for u in list_users(store.conn, SYSTEM)] == [True, False]
    entry = trail.entries_for(store.conn, "user", "wang.fang")[-1]
    assert (entry.action, entry.actor, entry.role) == ("disable_user", "root", "admin")
    with pytest.raises(NotFoundError, match="no user 'ghost'"):
        disable_user(store, "ghost", actor=admin)
    with pytest.raises(InputError, match="no active user 'wang.fang'"):
        actor_for(store, "wang.fang")  # the CLI's --actor refuses a disabled user too
    add_user(store, "wang.fang", "steward", "back-again", actor=admin)  # a reset enables
    assert authenticate(store, "wang.fang", "back-again").role == "steward"


@pytest.mark.slow
def test_the_cli_lists_and_disables_users_for_an_admin_and_refuses_a_steward(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    add_user(store, "root", "admin", "adm1n")
    db = ["--db", str(store.path)]
    listed = run_cli("users", "list", *db, "--actor", "root")
    assert listed.returncode == 0, listed.stderr
    assert [u["username"] for u in json.loads(listed.stdout.splitlines()[-1])["users"]] == [
        "root",
        "wang.fang",
    ]
    refused = run_cli("users", "disable", *db, "--username", "root", "--actor", "wang.fang")
    assert refused.returncode == 3 and "may not manage users" in refused.stderr
    done = run_cli("users", "disable", *db, "--username", "wang.fang", "--actor", "root")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"username": "wang.fang", "active": False}
    with pytest.raises(PermissionDenied):
        authenticate(store, "wang.fang", "s3cret")
    operator = run_cli("users", "list", *db)  # the operator on the server, as the system
    assert operator.returncode == 0 and "wang.fang\tsteward\tdisabled" in operator.stdout
    missing = run_cli("users", "disable", *db, "--username", "ghost")
    assert missing.returncode == 2 and "no user 'ghost'" in missing.stderr


def _bad_logins(path: str, client: str, seconds: float) -> int:
    """A process guessing passwords for ``seconds`` (one client each)."""
    import time

    from core.store import open_store

    done, end = 0, time.monotonic() + seconds
    with open_store(path) as s:
        while time.monotonic() < end:
            try:
                sign_in(s, "admin", f"guess-{done}", client=client)
            except PermissionDenied:
                pass
            done += 1
    return done


@pytest.mark.slow
def test_parallel_bad_logins_never_lock_out_a_stewards_write(store):
    # issue 14: with 8 parallel bad logins, 3 of 4 steward writes failed with
    # "database is locked"
    import multiprocessing
    import time

    from core.ops.config import set_setting

    add_user(store, "admin", "admin", "s3cret")
    # the guessers are throttled per client and per name: let them run freely
    for name, value in (("login_max_failures", 10**6), ("login_name_max_failures", 10**6)):
        set_setting(store, name, value, actor=SYSTEM)
    context = multiprocessing.get_context("forkserver")
    with context.Pool(8) as pool:
        guessing = pool.starmap_async(
            _bad_logins, [(str(store.path), f"bot-{i}", 6.0) for i in range(8)]
        )
        time.sleep(1.0)
        failures = []
        for n in range(20):
            try:
                set_setting(store, "dormant_days", 300 + n, actor=SYSTEM)
            except sqlite3.OperationalError as exc:
                failures.append(str(exc))
            time.sleep(0.1)
        tried = guessing.get(timeout=120)
    assert failures == []
    assert sum(tried) >= 16  # the guessers did run meanwhile
