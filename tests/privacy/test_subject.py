"""Access and portability: everything held about one person, as JSON."""

from __future__ import annotations

import json

import pytest

from core import trail
from core.actors import Actor
from core.errors import NotFoundError, PermissionDenied
from core.privacy.subject import export_subject, identifier_pattern, locate
from tests.conftest import PERSON, record, run_cli
from tests.privacy.test_erasure import ADMIN


def test_the_export_holds_raw_values_golden_values_with_provenance_and_decisions(subject, store):
    data = export_subject(store, ADMIN, subject)
    raw = {r["source_record_id"]: r for r in data["records"]}
    assert set(raw) == {"w1", "h1"}
    assert raw["w1"]["raw"]["mobile"] == PERSON["mobile"]
    assert raw["h1"]["raw"]["mobile"] == "139 1234 5678"  # as typed, not as standardized
    assert raw["h1"]["standardized"]["mobile"] == "+8613912345678"
    assert raw["w1"]["channel"] == "官网表单" and raw["w1"]["file_name"] == "web.csv"
    assert PERSON["name"] in raw["w1"]["raw_cells"]
    golden = {v["field"]: v for v in data["customer"]["values"] if v["primary"]}
    assert golden["email"]["value"] == "ouyang.nn@126.com" and golden["email"]["rule"] == "edit"
    assert golden["email"]["chosen_by"] == "wang.fang"
    assert golden["mobile"]["from_record"] in (record(store, "w1"), record(store, "h1"))
    assert {d["kind"] for d in data["decisions"]} >= {"edit"}
    assert [q["line_number"] for q in data["quarantined_rows"]] == [4]
    json.dumps(data, ensure_ascii=False)  # all of it is JSON


def test_the_export_is_audited_without_the_data(subject, store):
    export_subject(store, ADMIN, subject)
    entry = trail.entries_for(store.conn, "customer", subject)[-1]
    assert (entry.action, entry.actor) == ("subject_export", "admin")
    assert trail.payload(store.conn, entry.seq) is None


def test_only_an_admin_exports_and_an_unknown_customer_is_named(subject, store):
    for role in ("steward", "manager", "auditor"):
        with pytest.raises(PermissionDenied, match="may not"):
            export_subject(store, Actor("x", role), subject)
    with pytest.raises(NotFoundError, match="customer 424242 does not exist"):
        export_subject(store, ADMIN, 424242)


def test_the_subject_of_a_merged_customer_includes_the_customers_merges_retired(subject, store):
    found = locate(store.conn, subject)
    assert set(found.records) == {record(store, "w1"), record(store, "h1")}
    assert subject in found.customers and len(found.customers) >= 2  # the two it was made of
    assert "13912345678" in found.identifiers and PERSON["name"] in found.descriptors


@pytest.mark.parametrize("text", ["139 1234 5678", "139-1234-5678", "(139)12345678", "13912345678"])
def test_a_phone_is_found_in_free_text_however_it_was_separated(text):
    assert identifier_pattern("13912345678").search(f"来电 {text} 找张经理")


def test_a_phone_is_not_found_inside_a_list_of_ids():
    assert not identifier_pattern("13912345678").search("[1, 3, 9, 1, 2, 3, 4, 5, 6, 7, 8]")


def test_the_export_command_writes_json_and_refuses_other_files(subject, store, tmp_path):
    from core.users import add_user

    add_user(store, "root.admin", "admin", "s3cret-pass")
    out = tmp_path / "subject.json"
    args = ("subject", "export", "--db", str(store.path), "--actor", "root.admin", "--customer",
            str(subject))  # fmt: skip
    done = run_cli(*args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["customer_id"] == subject
    bad = run_cli(*args, "--out", str(tmp_path / "subject.csv"))
    assert bad.returncode == 2 and "name it like subject-12.json" in bad.stderr
