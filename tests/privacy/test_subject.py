"""Access and portability: everything held about one person, as JSON."""

from __future__ import annotations

import json

import pytest

from core import trail
from core.actors import Actor
from core.errors import NotFoundError, PermissionDenied
from core.ingest.importer import import_file
from core.privacy.subject import export_subject, identifier_pattern, locate, related
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


# -- one person, several customers: who shares a strong identifier -----------------------

ID = "11010519491231002X"
WIDE = ["id", "姓名", "手机", "电话", "邮箱", "微信", "身份证号", "单位"]


def customers_of(store, rows):
    from core.stewardship.customers import customer_of
    from tests.conftest import write_csv

    path = write_csv(store.path.with_name("wide.csv"), [WIDE, *rows])
    import_file(store, path, source="门店登记", actor=Actor("t", "system"), id_column="id")
    return [customer_of(store.conn, record(store, r[0])) for r in rows]


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [(3, "139 1234 5678", "mobile"), (4, "NANA.OUYANG@163.com", "email"),
     (5, "ouyang_nana88", "wechat"), (6, ID, "id_number")],
    ids=["mobile-typed-as-phone", "email", "wechat", "id-number"],
)  # fmt: skip
def test_a_customer_sharing_a_strong_identifier_is_related_and_a_namesake_is_not(
    store, column, value, field
):
    person = ["p1", "欧阳娜娜", "13912345678", "", "nana.ouyang@163.com", "ouyang_nana88", ID, ""]
    other = ["p2", "欧阳", "", "", "", "", "", ""]
    other[column] = value
    namesake = ["p3", "欧阳娜娜", "13700002222", "010-62345678", "", "", "", "某某科技"]
    colleague = ["p4", "张伟", "", "010-62345678", "", "", "", "某某科技"]
    mine, theirs, _, fourth = customers_of(store, [person, other, namesake, colleague])
    found = related(store.conn, mine)
    assert [(r.customer_id, r.shared) for r in found] == [(theirs, (field,))]
    assert found[0].records == 1 and found[0].channels == ("门店登记",)
    assert related(store.conn, fourth) == []  # a shared switchboard makes no one the same person


def test_a_steward_edit_counts_and_an_included_customer_brings_its_own_relations(store):
    from core.stewardship.picks import edit

    a, b, c = customers_of(store, [
        ["p1", "欧阳娜娜", "13912345678", "", "", "", "", ""],
        ["p2", "欧阳", "", "", "nana@163.com", "", "", ""],
        ["p3", "娜娜", "", "", "", "nana_88x", "", ""],
    ])  # fmt: skip
    assert related(store.conn, a) == []
    edit(store, a, "email", "nana@163.com", Actor("wang.fang", "steward"), reason="客户来电告知")
    assert [r.customer_id for r in related(store.conn, a)] == [b]
    edit(store, b, "wechat", "nana_88x", Actor("wang.fang", "steward"), reason="客户来电告知")
    assert [r.customer_id for r in related(store.conn, a, include=[b])] == [c]
    assert locate(store.conn, a, include=[b]).records == tuple(
        sorted(record(store, s) for s in ("p1", "p2"))
    )
