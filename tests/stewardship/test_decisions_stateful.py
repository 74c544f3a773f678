"""Random sequences of import, match, merge, split, reject, pick, edit,
attach, detach and unmerge never lose a value, never change a source
record, and unmerge always restores the state before its merge."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from core import trail
from core.actors import Actor
from core.errors import ConflictError, InputError
from core.ingest.importer import import_file
from core.matching.runs import run_match
from core.stewardship.customers import customer_of, get
from core.stewardship.merge import approve, reject
from core.stewardship.moves import attach, detach
from core.stewardship.picks import edit, pick
from core.stewardship.unmerge import unmerge
from core.store import Store, open_store
from tests.conftest import TODAY, write_csv
from tests.stewardship.test_merge import WANG

NAMES = ["张伟", "張偉", "王芳", "李娜", "Zhang Wei", "王先生"]
MOBILES = ["13812345678", "138 1234 5678", "13912345678", ""]


def snapshot(store: Store, records: list[int]) -> dict[int, tuple]:
    customers = sorted({customer_of(store.conn, r) for r in records})
    return {c: (get(store.conn, c).members, get(store.conn, c).values) for c in customers}


class Decisions(RuleBasedStateMachine):
    template: Path  # set by the test below

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(self.template).parent / f"run{id(self)}"
        self.folder.mkdir(exist_ok=True)
        target = self.folder / "s.db"
        target.unlink(missing_ok=True)
        source, copy = sqlite3.connect(self.template), sqlite3.connect(target)
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
        self.store = open_store(target)
        self.rows = self._source_hashes()
        self.fresh: dict[int, tuple[list[int], dict]] = {}  # merge -> (records, before)
        self.batches = 0

    def teardown(self) -> None:
        self.store.close()

    def _source_hashes(self) -> dict[int, str]:
        return {
            int(row[0]): hashlib.sha256(repr(row).encode()).hexdigest()
            for row in self.store.conn.execute("select * from source_records")
        }

    def _open(self, data, size: int | None = None) -> tuple[int, int, list[int]] | None:
        rows = self.store.conn.execute(
            "select id, version from proposals where status = 'open' "
            + ("and size = ? " if size else "and size >= 2 ")
            + "order by id",
            (size,) if size else (),
        ).fetchall()
        if not rows:
            return None
        pid, version = data.draw(st.sampled_from(rows))
        members = [r for (r,) in self.store.conn.execute(
            "select record_id from proposal_members where proposal_id = ? order by 1", (pid,))]  # fmt: skip
        return pid, version, members

    def _customer(self, data, merged: bool) -> int | None:
        sql = ("select id from customers where status = 'active' and created_by_decision in "
               "(select id from decisions where kind = 'merge' and undone_by is null)"
               if merged else "select id from customers where status = 'active'")  # fmt: skip
        ids = [c for (c,) in self.store.conn.execute(sql + " order by id limit 400")]
        return data.draw(st.sampled_from(ids)) if ids else None

    def _touched(self, customer: int) -> None:
        """A later change to a merged customer: its unmerge need not be exact."""
        for merge in list(self.fresh):
            made = self.store.conn.execute(
                "select id from customers where created_by_decision = ?", (merge,)
            ).fetchone()
            if made and made[0] == customer:
                del self.fresh[merge]

    @rule(names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=4),
          mobiles=st.lists(st.sampled_from(MOBILES), min_size=4, max_size=4))  # fmt: skip
    def import_batch(self, names, mobiles):
        self.batches += 1
        rows = [["姓名", "手机"]] + [[n, mobiles[i]] for i, n in enumerate(names)]
        path = write_csv(self.folder / f"b{self.batches}.csv", rows)
        import_file(
            self.store, path, source=f"s{self.batches}", actor=Actor("t", "system"), today=TODAY
        )
        self.rows = {**self.rows, **{k: v for k, v in self._source_hashes().items()
                                     if k not in self.rows}}  # fmt: skip

    @rule()
    def match(self):
        run_match(self.store)

    @rule(data=st.data(), split=st.booleans())
    def merge(self, data, split):
        found = self._open(data, 3 if split else None)
        if found is None:
            return
        pid, version, members = found
        exclude = [members[0]] if split else []
        before = snapshot(self.store, [m for m in members if m not in exclude])
        try:
            done = approve(self.store, pid, WANG, exclude=exclude, expected_version=version)
        except InputError:
            return  # e.g. an excluded record already merged with one that stays
        for c in done.customer_ids:
            self._touched(c)
        records = list(get(self.store.conn, done.customer_id).members)
        self.fresh[done.decision_id] = (records, before)

    @rule(data=st.data())
    def reject_one(self, data):
        found = self._open(data)
        if found:
            reject(self.store, found[0], WANG, expected_version=found[1])

    @rule(data=st.data())
    def pick_value(self, data):
        customer = self._customer(data, merged=False)
        if customer is None:
            return
        values = [v for v in get(self.store.conn, customer).values if v.record_id is not None]
        if values:
            v = data.draw(st.sampled_from(values))
            pick(self.store, customer, v.field, v.value, WANG)
            self._touched(customer)

    @rule(data=st.data(), name=st.sampled_from(NAMES))
    def edit_name(self, data, name):
        customer = self._customer(data, merged=False)
        if customer is not None:
            edit(self.store, customer, "name", name, WANG, reason="steward")
            self._touched(customer)

    @rule(data=st.data())
    def attach_record(self, data):
        target = self._customer(data, merged=True)
        if target is None:
            return
        record = data.draw(st.integers(1, max(self.rows)))
        source = customer_of(self.store.conn, record)
        try:
            attach(self.store, record, target, WANG)
        except InputError:
            return
        self._touched(target)
        self._touched(source)

    @rule(data=st.data())
    def detach_record(self, data):
        customer = self._customer(data, merged=True)
        if customer is None:
            return
        record = data.draw(st.sampled_from(list(get(self.store.conn, customer).members)))
        try:
            detach(self.store, record, WANG)
        except InputError:
            return  # its customer's only record: refused, as it should be
        self._touched(customer)

    @precondition(lambda self: bool(self.fresh))
    @rule(data=st.data())
    def unmerge_exactly(self, data):
        merge = data.draw(st.sampled_from(sorted(self.fresh)))
        records, before = self.fresh.pop(merge)
        made = self.store.conn.execute(
            "select id from customers where created_by_decision = ?", (merge,)
        ).fetchone()[0]
        try:
            unmerge(self.store, made, WANG)
        except ConflictError:
            return  # merged again since; that later merge must go first
        assert snapshot(self.store, records) == before

    @invariant()
    def source_records_are_unchanged(self):
        now = self._source_hashes()
        assert {k: now[k] for k in self.rows} == self.rows

    @invariant()
    def every_record_belongs_to_one_active_customer(self):
        conn = self.store.conn
        assert conn.execute("select count(*) from customer_members").fetchone()[0] == len(self.rows)
        stray = conn.execute(
            "select count(*) from customer_members m join customers c on c.id = m.customer_id "
            "where c.status != 'active'"
        ).fetchone()[0]
        assert stray == 0

    @invariant()
    def the_audit_chain_verifies(self):
        assert trail.verify(self.store.conn).ok


@pytest.mark.slow
def test_random_decisions_keep_every_value_and_undo_exactly(matched_template):
    from hypothesis.stateful import run_state_machine_as_test

    Decisions.template = matched_template
    run_state_machine_as_test(
        Decisions,
        settings=settings(max_examples=12, stateful_step_count=12, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )  # fmt: skip
