"""AppTest: a steward reviews a proposal of two organisation accounts, which
the queue, the workbench and the customer page show as an organisation."""

from __future__ import annotations

from core.actors import Actor
from core.ingest.importer import import_file
from core.matching.runs import run_match
from core.store import open_store
from pages.texts import EN
from tests.conftest import signed_in, write_csv

ACCOUNTS = [
    ["编号", "公司名称", "总机", "网址", "统一社会信用代码", "地址"],
    ["B1", "深圳市腾飞电子科技有限公司", "0755-26881234", "www.tengfei-tech.cn",
     "91140107298337895P", "深圳市南山区科技园南区高新南一道9号"],
    ["B2", "腾飞电子科技（深圳）有限公司", "(0755) 2688 1234", "https://tengfei-tech.cn/about",
     "", "广东省深圳市南山区高新南一道9号"],
    ["B3", "上海启明软件股份有限公司", "021-64871234", "www.qiming-soft.com", "", "上海市徐汇区虹漕路461号"],
]  # fmt: skip


def test_a_steward_reviews_and_merges_an_organisation_proposal(app_db, tmp_path):
    with open_store(app_db) as s:
        import_file(s, write_csv(tmp_path / "b2b.csv", ACCOUNTS), source="企业客户",
                    actor=Actor("loader", "system"), id_column="编号")  # fmt: skip
        run_match(s)
        ids = dict(s.conn.execute(
            "select source_record_id, id from source_records where channel = '企业客户'"))  # fmt: skip
        assert {r[0] for r in s.conn.execute(
            "select entity from standardized where record_id in (?, ?, ?)",
            [ids["B1"], ids["B2"], ids["B3"]])} == {"organisation"}  # fmt: skip
        pid = s.conn.execute(
            "select m.proposal_id from proposal_members m join proposals p on p.id = m.proposal_id "
            "where p.status = 'open' and m.record_id = ?", [ids["B1"]]).fetchone()[0]  # fmt: skip
        members = {r for (r,) in s.conn.execute(
            "select record_id from proposal_members where proposal_id = ?", [pid])}  # fmt: skip
    assert members == {ids["B1"], ids["B2"]}  # the other company is not proposed with them

    at = signed_in("steward")
    at.switch_page("pages/queue.py").run()
    at.multiselect(key="q_band").set_value(["review", "auto"]).run()
    at.selectbox(key="q_channel").select("企业客户").run()
    queue = " ".join(d.value.to_string() for d in at.dataframe)
    assert "深圳市腾飞电子科技有限公司" in queue  # the queue names the organisations
    at.selectbox(key="q_pick").select(pid).run()
    at.button(key="q_open").click().run()
    at.switch_page("pages/workbench.py").run()
    assert not at.exception
    grid = " ".join(d.value.to_string() for d in at.dataframe)
    assert "深圳市腾飞电子科技有限公司" in grid
    assert "tengfei-tech.cn" in grid and "91140107298337895P" in grid  # the organisation's fields
    reasons = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any(f"{ids['B1']}" in r and f"{ids['B2']}" in r for r in reasons), reasons
    at.button(key="approve").click().run()
    at.button(key="confirm_merge").click().run()
    assert at.success, [e.value for e in at.error]
    with open_store(app_db) as s:
        (customer,) = {c for (c,) in s.conn.execute(
            "select customer_id from customer_members where record_id in (?, ?)",
            [ids["B1"], ids["B2"]])}  # fmt: skip
        kept = dict(s.conn.execute(
            "select field, value from customer_values where customer_id = ? and is_primary = 1",
            [customer]))  # fmt: skip
    assert kept["website"] == "tengfei-tech.cn" and kept["org_id"] == "91140107298337895P"
    assert "name" not in kept  # an organisation has no person's name
    assert EN["bench.reasons"]  # the workbench section exists in both catalogs
