"""Customers: one per record at import, golden values, export, dormancy."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from core.actors import SYSTEM, Actor
from core.ingest.importer import import_file
from core.ops.export import export_customers
from core.stewardship.customers import customer_of, dormancy, get
from core.stewardship.merge import approve
from tests.conftest import TODAY, run_cli, write_csv
from tests.stewardship.test_merge import WANG, open_proposal


def test_every_imported_record_is_a_customer_of_its_own_with_its_values(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["姓名", "手机", "邮箱"], ["張偉", "138 1234 5678", ""],
                                          ["李娜", "13912345678", "bad@"]])  # fmt: skip
    import_file(store, path, source="s", actor=Actor("t", "system"), today=TODAY)
    assert store.count("customers") == store.count("source_records") == 2
    first = get(store.conn, customer_of(store.conn, 1))
    assert first.members == (1,) and first.value("name") == "张伟"
    assert first.value("mobile") == "+8613812345678"
    second = get(store.conn, customer_of(store.conn, 2))
    email = [v for v in second.values if v.field == "email"]
    assert [(v.value, v.rule) for v in email] == [("bad@", "only")]  # kept, though invalid
    again = write_csv(tmp_path / "b.csv", [["姓名"], ["王芳"]])
    import_file(store, again, source="s", actor=Actor("t", "system"), today=TODAY)
    assert customer_of(store.conn, 3) == 3  # a new record's customer takes the record's id


def test_the_export_lists_each_customer_with_its_members_and_values(matched, tmp_path):
    pid, version, members = open_proposal(matched, 3)
    done = approve(matched, pid, WANG, expected_version=version)
    out = tmp_path / "customers.csv"
    written = export_customers(matched, out, viewer=SYSTEM)
    with out.open(encoding="utf-8-sig") as handle:
        rows = {r["customer_id"]: r for r in csv.DictReader(handle)}
    assert (
        written
        == len(rows)
        == matched.conn.execute(
            "select count(*) from customers where status = 'active'"
        ).fetchone()[0]
    )
    names = [s for (s,) in matched.conn.execute(
        f"select source_record_id from source_records where id in ({','.join('?' * 3)}) "
        "order by id", members)]  # fmt: skip
    merged = rows[str(done.customer_id)]
    assert merged["member_record_ids"] == ";".join(names)
    assert merged["name"] == get(matched.conn, done.customer_id).value("name")


def test_a_customer_without_contact_for_a_year_is_dormant_with_the_reason(matched):
    customer = get(matched.conn, 1)
    dormant, last, reason = dormancy(matched.conn, customer, date(2040, 1, 1), 365)
    assert dormant and last and f"no update or contact since {last}" in reason
    awake, _, _ = dormancy(matched.conn, customer, date.fromisoformat(last[:10]), 365)
    assert not awake


@pytest.mark.slow
def test_the_cli_merges_exports_shows_history_and_unmerges(matched, tmp_path):
    db = str(matched.path)
    run_cli("users", "add", "--db", db, "--username", "wang", "--role", "steward",
            env={"STEWARD_PASSWORD": "pw12"})  # fmt: skip
    pid, _, members = open_proposal(matched, 3)
    source = matched.conn.execute(
        "select source_record_id from source_records where id = ?", (members[0],)
    ).fetchone()[0]
    merged = run_cli("merge", "--db", db, "--actor", "wang", "--proposal", str(pid),
                     "--exclude", source, "--note", "同一客户")  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    result = json.loads(merged.stdout.splitlines()[-1])
    assert result["kind"] == "merge" and result["customer_id"]
    history = run_cli("history", "--db", db, "--customer", str(result["customer_id"]))
    assert [e["action"] for e in json.loads(history.stdout.splitlines()[-1])["entries"]] == [
        "merge"
    ]
    out = tmp_path / "c.xlsx"
    exported = run_cli("export", "--db", db, "--what", "customers", "--out", str(out))
    assert exported.returncode == 0 and out.stat().st_size > 0
    again = run_cli("merge", "--db", db, "--actor", "wang", "--proposal", str(pid))
    assert again.returncode == 4 and "already approved" in again.stderr
    manager = run_cli("users", "add", "--db", db, "--username", "boss", "--role", "manager",
                      env={"STEWARD_PASSWORD": "pw12"})  # fmt: skip
    assert manager.returncode == 0
    refused = run_cli("unmerge", "--db", db, "--actor", "boss", "--customer",
                      str(result["customer_id"]))  # fmt: skip
    assert refused.returncode == 3 and "may not unmerge" in refused.stderr
    undone = run_cli("unmerge", "--db", db, "--actor", "wang", "--customer",
                     str(result["customer_id"]))  # fmt: skip
    assert (
        undone.returncode == 0 and json.loads(undone.stdout.splitlines()[-1])["kind"] == "unmerge"
    )
    auto = run_cli("auto-merge", "--db", db)
    assert auto.returncode == 0 and json.loads(auto.stdout.splitlines()[-1])["merged"] > 0
