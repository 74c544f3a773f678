"""Users: argon2 hashes, one answer to every failed login, lockout."""

from __future__ import annotations

import json

import pytest

from core.actors import Actor
from core.errors import InputError, PermissionDenied
from core.settings import Settings
from core.users import LOGIN_FAILED, actor_for, add_user, authenticate
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
