"""Users: argon2 hashes, one answer to every failed login, lockout."""

from __future__ import annotations

import json

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import InputError, NotFoundError, PermissionDenied
from core.settings import Settings
from core.users import (
    LOGIN_FAILED,
    actor_for,
    add_user,
    authenticate,
    disable_user,
    list_users,
    session_actor,
    sign_in,
)
from tests.conftest import run_cli


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


def test_repeated_failures_lock_the_account_even_for_the_right_password(store):
    add_user(store, "wang.fang", "steward", "s3cret")
    settings = Settings({"login_max_failures": 3})
    for _ in range(3):
        with pytest.raises(PermissionDenied):
            authenticate(store, "wang.fang", "nope", settings)
    with pytest.raises(PermissionDenied, match="locked"):
        authenticate(store, "wang.fang", "s3cret", settings)
    store.conn.execute("update users set locked_until = '2000-01-01T00:00:00+00:00'")
    store.conn.commit()
    assert authenticate(store, "wang.fang", "s3cret", settings).role == "steward"


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
