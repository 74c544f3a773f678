"""Every cell of the permission table, enforced by the function that does the work.

For each operation of :data:`core.actors.PERMISSIONS` and each role, the real
core function behind the operation is called on a real store (a fresh copy
of one prepared template per cell): a role the table allows succeeds, and
the effect is checked; a role it refuses gets
:class:`~core.errors.PermissionDenied` and the store is left exactly as it
was. An operation without an entry in :data:`OPERATIONS` fails the suite,
so a new operation cannot go untested.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from core import trail
from core.actors import PERMISSIONS, ROLES, SYSTEM, Actor, Role
from core.errors import PermissionDenied
from core.ops.config import set_setting
from core.store import Store, open_store
from tests import test_actors
from tests.conftest import TODAY, write_csv

PASSWORD = "matrix-pass"


def actor_of(role: Role) -> Actor:
    """The actor of each role: a user of the template store (the system is no user)."""
    return SYSTEM if role == "system" else Actor(f"u.{role}", role)


@dataclass(frozen=True)
class Ids:
    """What the template holds for the operations to act on."""

    review: int  # an open, unclaimed proposal of the review band
    merged: int  # a customer a steward made by a merge (several records)
    member: int  # one of its records
    single: int  # a record that is a customer on its own, in no open proposal
    auto_open: int  # open proposals of the auto band


@dataclass
class Case:
    """One cell: a private store, the template's ids and a scratch folder."""

    store: Store
    ids: Ids
    tmp: Path
    before: tuple[Any, ...] = ()

    def mark(self) -> None:
        """Remember the store as it is just before the operation (after any
        setup the operation needs), to check that a refusal changed nothing."""
        self.before = fingerprint(self.store)


def _copy(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(scope="module")
def template(matched_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    """The matched store with a user per role, a steward's merge and the ids above."""
    from core.stewardship.merge import approve
    from core.users import add_user

    path = tmp_path_factory.mktemp("matrix") / "template.db"
    _copy(matched_template, path)
    with open_store(path) as s:
        for role in ROLES:
            if role != "system":
                add_user(s, f"u.{role}", role, PASSWORD)
        conn = s.conn
        first, second = [p for (p,) in conn.execute(
            "select id from proposals where status = 'open' and band = 'review' order by id limit 2"
        )]  # fmt: skip
        merged = approve(s, first, Actor("setup", "steward"), note="matrix setup").customer_id
        assert merged is not None
        member = conn.execute(
            "select min(record_id) from customer_members where customer_id = ?", (merged,)
        ).fetchone()[0]
        single = conn.execute(
            "select m.record_id from customer_members m where (select count(*) from "
            "customer_members o where o.customer_id = m.customer_id) = 1 and m.record_id not in "
            "(select record_id from proposal_members pm join proposals p on p.id = pm.proposal_id "
            "where p.status = 'open') order by m.record_id limit 1"
        ).fetchone()[0]
        auto_open = conn.execute(
            "select count(*) from proposals where status = 'open' and band = 'auto'"
        ).fetchone()[0]
    assert auto_open > 0, "the template needs an open auto-band proposal for auto_merge"
    return path, Ids(second, merged, member, single, auto_open)


@pytest.fixture
def case(template: tuple[Path, Ids], tmp_path: Path) -> Iterator[Case]:
    path, ids = template
    _copy(path, tmp_path / "case.db")
    with open_store(tmp_path / "case.db") as s:
        yield Case(s, ids, tmp_path)


def fingerprint(store: Store) -> tuple[Any, ...]:
    """The row count of every table and the head of the audit trail: what a
    refused operation must leave exactly as it was."""
    conn = store.conn
    tables = [t for (t,) in conn.execute(
        "select name from sqlite_master where type = 'table' order by name")]  # fmt: skip
    return (*(conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables),
            trail.head(conn))  # fmt: skip


def pending(module: str) -> ModuleType:
    """Import a module an operation needs, failing clearly while it is not built."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        pytest.fail(f"{module} is not built yet ({exc}); its operation cannot be checked")


def audited(c: Case, action: str) -> bool:
    """Whether the last entry of the trail is ``action``."""
    row = c.store.conn.execute("select action from audit_log order by seq desc limit 1").fetchone()
    return bool(row) and row[0] == action


# -- one function per operation: do it as `actor`, and check that it was done --------


def do_import(c: Case, actor: Actor) -> None:
    from core.ingest.importer import import_file

    data = write_csv(c.tmp / "new.csv", [["id", "姓名", "手机"], ["n1", "新客户", "13700001111"]])
    result = import_file(c.store, data, source="矩阵", actor=actor, id_column="id")
    assert result.rows_imported == 1 and audited(c, "import")


def do_match(c: Case, actor: Actor) -> None:
    from core.ingest.importer import import_file
    from core.matching.runs import run_match

    data = write_csv(c.tmp / "new.csv", [["姓名", "手机"], ["新客户", "13700001111"]])
    import_file(c.store, data, source="矩阵", actor=Actor("loader", "system"))
    c.mark()
    summary = run_match(c.store, actor=actor)
    assert (summary.mode, summary.new_records) == ("incremental", 1)


def do_claim(c: Case, actor: Actor) -> None:
    from core.stewardship.merge import claim

    claim(c.store, c.ids.review, actor)
    by = c.store.conn.execute("select claimed_by from proposals where id = ?", (c.ids.review,))
    assert by.fetchone()[0] == actor.username


def do_merge(c: Case, actor: Actor) -> None:
    from core.stewardship.merge import approve

    assert approve(c.store, c.ids.review, actor).kind == "merge" and audited(c, "merge")


def do_reject(c: Case, actor: Actor) -> None:
    from core.stewardship.merge import reject

    assert reject(c.store, c.ids.review, actor).kind == "reject" and audited(c, "reject")


def do_pick(c: Case, actor: Actor) -> None:
    from core.stewardship.customers import get
    from core.stewardship.picks import pick

    name = get(c.store.conn, c.ids.merged).value("name")
    assert pick(c.store, c.ids.merged, "name", name, actor).kind == "pick"


def do_edit(c: Case, actor: Actor) -> None:
    from core.stewardship.customers import get
    from core.stewardship.picks import edit

    done = edit(c.store, c.ids.merged, "email", "new.box@163.com", actor, reason="客户来电更正")
    assert get(c.store.conn, done.customer_id).value("email") == "new.box@163.com"


def do_attach(c: Case, actor: Actor) -> None:
    from core.stewardship.customers import customer_of
    from core.stewardship.moves import attach

    attach(c.store, c.ids.single, c.ids.merged, actor)
    assert customer_of(c.store.conn, c.ids.single) == c.ids.merged


def do_detach(c: Case, actor: Actor) -> None:
    from core.stewardship.customers import customer_of
    from core.stewardship.moves import detach

    detach(c.store, c.ids.member, actor)
    assert customer_of(c.store.conn, c.ids.member) != c.ids.merged


def do_unmerge(c: Case, actor: Actor) -> None:
    from core.stewardship.unmerge import unmerge

    assert unmerge(c.store, c.ids.merged, actor).kind == "unmerge"


def do_auto_merge(c: Case, actor: Actor) -> None:
    from core.stewardship.merge import auto_merge

    assert len(auto_merge(c.store, actor)) == c.ids.auto_open


def do_read_customers(c: Case, actor: Actor) -> None:
    from core.stewardship.card import customer_card
    from core.stewardship.customers import get
    from core.stewardship.search import search_customers

    conn, settings = c.store.conn, c.store.settings()
    name = get(conn, c.ids.merged).value("name")
    assert c.ids.merged in [h.customer_id for h in search_customers(c.store, name, actor)]
    assert customer_card(conn, c.ids.merged, actor, settings).customer_id == c.ids.merged


def do_search_contacts(c: Case, actor: Actor) -> None:
    from core.stewardship.search import search_customers

    mobile = c.store.conn.execute(
        "select value from customer_values where customer_id = ? and field = 'mobile' "
        "and is_primary = 1",
        (c.ids.merged,),
    ).fetchone()[0]
    found = search_customers(c.store, mobile, actor)
    assert c.ids.merged in [h.customer_id for h in found] and audited(c, "lookup")


def do_reveal(c: Case, actor: Actor) -> None:
    reveal = pending("core.privacy.reveal").reveal
    stored = c.store.conn.execute(
        "select value from customer_values where customer_id = ? and field = 'mobile' "
        "and is_primary = 1",
        (c.ids.merged,),
    ).fetchone()[0]
    assert reveal(c.store, actor, c.ids.merged, "mobile", "客户来电，核实身份") == stored
    assert audited(c, "reveal")


def do_read_audit(c: Case, actor: Actor) -> None:
    assert trail.verify(c.store.conn, viewer=actor).ok


def do_audit_session(c: Case, actor: Actor) -> None:
    from core.assurance.sessions import get_session, open_session

    sid = open_session(c.store, actor, "2000-01-01..2099-12-31", 1, seed=7)
    assert get_session(c.store.conn, sid).status == "open"


def do_read_kpis(c: Case, actor: Actor) -> None:
    from core.quality.kpis import compute

    report = compute(c.store, today=date.fromisoformat(TODAY), viewer=actor)
    assert report.all.records == c.store.count("source_records")


def do_snapshot_kpis(c: Case, actor: Actor) -> None:
    from core.quality.snapshots import take

    assert take(c.store, actor, today=date.fromisoformat(TODAY))["scopes"] >= 2


def do_synthesize_kpis(c: Case, actor: Actor) -> None:
    from core.quality.snapshots import synthesize_history

    assert synthesize_history(c.store, actor, days=2, today=date.fromisoformat(TODAY)) >= 4
    assert audited(c, "kpi_synthetic_history")


def do_manage_users(c: Case, actor: Actor) -> None:
    from core.users import add_user, role_of

    add_user(c.store, "new.user", "steward", PASSWORD, actor=actor)
    assert role_of(c.store.conn, "new.user") == "steward"


def do_settings(c: Case, actor: Actor) -> None:
    set_setting(c.store, "dormant_days", 400, actor=actor)
    assert c.store.settings()["dormant_days"] == 400 and audited(c, "setting")


def do_backup(c: Case, actor: Actor) -> None:
    backup = pending("core.ops.backup").backup
    made = backup(c.store, c.tmp / "copy.db", actor)
    assert made.integrity_ok and made.path.exists()
    with open_store(made.path, create=False) as copy:
        assert copy.count("source_records") == c.store.count("source_records")


def do_retention(c: Case, actor: Actor) -> None:
    purge = pending("core.privacy.retention").purge_quarantine
    set_setting(c.store, "quarantine_retention_days", 90, actor=SYSTEM)
    c.mark()
    assert purge(c.store, actor, today="2099-12-31").cutoff == "2099-10-02"


def do_subject_rights(c: Case, actor: Actor) -> None:
    export_subject = pending("core.privacy.subject").export_subject
    erase_subject = pending("core.privacy.erasure").erase_subject
    members = [r for (r,) in c.store.conn.execute(
        "select record_id from customer_members where customer_id = ?", (c.ids.merged,))]  # fmt: skip
    held = export_subject(c.store, actor, c.ids.merged)
    assert held and audited(c, "subject_export")
    erase_subject(c.store, actor, c.ids.merged, "PIPL request 2026-118")
    marks = ",".join("?" * len(members))
    erased = c.store.conn.execute(
        f"select count(*) from source_records where erased = 1 and id in ({marks})", members
    ).fetchone()[0]
    assert erased == len(members)


OPERATIONS: dict[str, Callable[[Case, Actor], None]] = {
    "import": do_import,
    "match": do_match,
    "claim": do_claim,
    "merge": do_merge,
    "reject": do_reject,
    "pick": do_pick,
    "edit": do_edit,
    "attach": do_attach,
    "detach": do_detach,
    "unmerge": do_unmerge,
    "auto_merge": do_auto_merge,
    "read_customers": do_read_customers,
    "search_contacts": do_search_contacts,
    "reveal": do_reveal,
    "read_audit": do_read_audit,
    "audit_session": do_audit_session,
    "read_kpis": do_read_kpis,
    "snapshot_kpis": do_snapshot_kpis,
    "synthesize_kpis": do_synthesize_kpis,
    "manage_users": do_manage_users,
    "settings": do_settings,
    "backup": do_backup,
    "retention": do_retention,
    "subject_rights": do_subject_rights,
}
"""Operation -> the real core call that performs it, as a given actor."""

CELLS = [(op, role) for op in PERMISSIONS for role in ROLES]


def test_every_operation_of_the_permission_table_has_a_check_here():
    missing = sorted(set(PERMISSIONS) - set(OPERATIONS))
    assert not missing, f"add an entry to OPERATIONS for {missing}"


def test_the_cells_checked_here_are_the_readme_table_of_the_engine():
    test_actors.test_the_readme_shows_the_permission_table_the_engine_enforces()
    readme = test_actors.README.read_text(encoding="utf-8")
    block = readme.split("<!-- permissions-table:start -->")[1].split("<!-- permissions-table:end")[
        0
    ]
    table = re.findall(r"^\| `(\w+)` \| (.*) \|$", block, re.M)
    documented = {(op, role) for op, marks in table
                  for role, mark in zip(ROLES, marks.split(" | "), strict=True) if mark == "yes"}  # fmt: skip
    assert documented == {(op, role) for op, role in CELLS if role in PERMISSIONS[op]}


@pytest.mark.slow
@pytest.mark.parametrize(("operation", "role"), CELLS, ids=[f"{o}-{r}" for o, r in CELLS])
def test_each_role_may_do_exactly_what_the_table_allows(case: Case, operation: str, role: Role):
    do = OPERATIONS.get(operation)
    assert do is not None, f"no check for operation {operation!r}"
    actor = actor_of(role)
    if role in PERMISSIONS[operation]:
        do(case, actor)
        return
    case.mark()
    with pytest.raises(PermissionDenied, match=f"may not {operation.replace('_', ' ')}"):
        do(case, actor)
    assert fingerprint(case.store) == case.before
    assert not (case.tmp / "copy.db").exists()  # a refused backup writes no file either


def test_the_system_merges_only_what_the_auto_band_proposes(case: Case):
    from core.stewardship.merge import approve

    band = case.store.conn.execute("select band from proposals where id = ?", (case.ids.review,))
    assert band.fetchone()[0] == "review"
    with pytest.raises(PermissionDenied, match="system \\(system\\) may not merge"):
        approve(case.store, case.ids.review, SYSTEM)
    auto = case.store.conn.execute(
        "select id from proposals where status = 'open' and band = 'auto' order by id limit 1"
    ).fetchone()[0]
    assert approve(case.store, auto, SYSTEM).kind == "merge"


def test_an_importer_who_is_no_user_imports_as_the_system_and_a_manager_is_refused(case: Case):
    from core.ingest.importer import import_file

    data = write_csv(case.tmp / "f.csv", [["姓名", "手机"], ["新客户", "13700001111"]])
    import_file(case.store, data, source="cron", actor=Actor("nightly-job", "system"))
    role = case.store.conn.execute("select role from audit_log order by seq desc limit 1")
    assert role.fetchone()[0] == "system"
    with pytest.raises(PermissionDenied, match=r"u\.manager \(manager\) may not import"):
        import_file(case.store, data, source="other", actor=Actor("u.manager", "manager"))


class CountingHasher:
    """The argon2 hasher, counting the hashes it computes (a check is one)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.work = inner, 0

    def hash(self, password: str) -> str:
        self.work += 1
        return str(self.inner.hash(password))

    def verify(self, digest: str, password: str) -> bool:
        self.work += 1
        return bool(self.inner.verify(digest, password))


@pytest.mark.parametrize("failure", ["unknown user", "wrong password", "locked", "inactive"])
def test_every_failed_login_gets_one_answer_after_the_same_hashing_work(case, monkeypatch, failure):
    from core import users

    change = {"locked": "locked_until = '2999-01-01T00:00:00+00:00'", "inactive": "active = 0"}
    if failure in change:
        with case.store.write() as db:
            db.execute(f"update users set {change[failure]} where username = 'u.steward'")
    hasher = CountingHasher(users._HASHER)
    monkeypatch.setattr(users, "_HASHER", hasher)
    name = "nobody" if failure == "unknown user" else "u.steward"
    password = "wrong" if failure == "wrong password" else PASSWORD
    with pytest.raises(PermissionDenied) as refused:
        users.authenticate(case.store, name, password)
    assert str(refused.value) == users.LOGIN_FAILED
    assert hasher.work == 1  # no timing tell: every failure costs one argon2 hash


def test_security_md_states_the_cells_checked_here():
    text = (test_actors.README.parent / "SECURITY.md").read_text(encoding="utf-8")
    allowed = sum(role in PERMISSIONS[op] for op, role in CELLS)
    assert f"{len(CELLS)} cells ({len(PERMISSIONS)} operations × {len(ROLES)} roles)" in text
    assert f"{allowed} allowed cells" in text and f"{len(CELLS) - allowed} refused cells" in text
