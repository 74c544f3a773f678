"""Logs and error output name ids, never the customers' personal data.

A cron job's stderr and the app's logs end up in files that many people can
read. The commands, the engine and the app are run on a store of known
people, with Python logging captured at DEBUG, and none of those people's
names, phone numbers, e-mail addresses or street addresses may appear in
stderr or the log, except a value the user typed into the argument that
caused the error (an error may quote back what was typed).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.actors import SYSTEM, Actor
from core.ops.config import set_setting
from pages.texts import EN
from tests.conftest import ROOT, TODAY, run_cli, signed_in, write_csv

pytestmark = pytest.mark.slow

HEADER = ["编号", "姓名", "手机", "邮箱", "地址"]
PEOPLE = [
    ["p1", "欧阳锋", "13912340001", "ouyang.feng@163.com", "上海市徐汇区虹漕路461号"],
    ["p2", "欧阳锋", "139 1234 0001", "Ouyang.Feng@163.com", "上海市徐汇区虹漕路461号"],
    ["p3", "黄药师", "13912340002", "huang.yaoshi@qq.com", "浙江省舟山市普陀区桃花岛路1号"],
    ["p4", "黄药师", "+86 139 1234 0002", "huang.yaoshi@qq.com", ""],
    ["p5", "洪七公", "13912340003", "hong.qigong@126.com", "北京市东城区丐帮胡同7号"],
    ["p6", "洪七公", "0086 13912340003", "hong.qigong@126.com", "北京市东城区丐帮胡同7号"],
    ["p7", "", "", "", "北京市西城区无名路1号"],  # quarantined: nothing identifies it
]
SECRETS = sorted(
    {v for row in PEOPLE for v in row[1:] if v}
    | {f"+86{row[2][-11:]}" for row in PEOPLE if row[2]}  # as standardized (E.164)
    | {row[2].replace(" ", "")[-11:] for row in PEOPLE if row[2]}  # the bare number
    | {row[3].lower() for row in PEOPLE if row[3]}
)
"""Every personal value of the file, as typed and as the engine stores it."""


def leaked(text: str, typed: tuple[str, ...] = ()) -> list[str]:
    """The personal values in ``text``, except those the user typed in ``typed``."""
    return [s for s in SECRETS if s in text and not any(s in t for t in typed)]


def people_file(folder: Path) -> Path:
    return write_csv(folder / "people.csv", [HEADER, *PEOPLE])


# -- the command line ------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[tuple[str, ...], int, str]]:
    """Each command run once against one store: name -> (argv, exit code, stderr)."""
    folder = tmp_path_factory.mktemp("logs")
    db, data = str(folder / "crm.db"), people_file(folder)
    binary = folder / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    runs: dict[str, tuple[tuple[str, ...], int, str]] = {}

    def run(name: str, *argv: str, env: dict[str, str] | None = None) -> None:
        done = run_cli(*argv, env=env)
        runs[name] = (argv, done.returncode, done.stderr)

    run("import", "import", str(data), "--db", db, "--source", "门店登记", "--id-column", "编号")
    run("import again", "import", str(data), "--db", db, "--source", "门店登记")
    run("import a binary file", "import", str(binary), "--db", db, "--source", "x")
    run("import a missing file", "import", str(folder / "nope.csv"), "--db", db, "--source", "x")
    run("import by an unknown id column", "import", str(data), "--db", db, "--source", "y",
        "--id-column", "会员号")  # fmt: skip
    run("match", "match", "--db", db)
    run("add a steward", "users", "add", "--db", db, "--username", "wang", "--role", "steward",
        env={"STEWARD_PASSWORD": "secret-pass"})  # fmt: skip
    conn = sqlite3.connect(db)
    proposal = str(
        conn.execute("select min(id) from proposals where status = 'open'").fetchone()[0]
    )
    conn.close()
    run("merge picking a value no record holds", "merge", "--db", db, "--actor", "wang",
        "--proposal", proposal, "--pick", "name=欧阳峰X")  # fmt: skip
    run("merge as no user", "merge", "--db", db, "--actor", "nobody", "--proposal", proposal)
    run("merge", "merge", "--db", db, "--actor", "wang", "--proposal", proposal,
        "--note", "same person")  # fmt: skip
    conn = sqlite3.connect(db)
    customer = str(
        conn.execute("select customer_id from decisions where kind = 'merge'").fetchone()[0]
    )
    conn.close()
    run("pick a value the customer lacks", "pick", "--db", db, "--actor", "wang",
        "--customer", customer, "--field", "name", "--value", "黄老邪")  # fmt: skip
    run("edit to an invalid mobile", "edit", "--db", db, "--actor", "wang", "--customer",
        customer, "--field", "mobile", "--value", "12345", "--reason", "客户来电")  # fmt: skip
    run("customer", "customer", "--db", db, "--id", customer)
    run("history", "history", "--db", db, "--customer", customer)
    for what, suffix in (("records", "csv"), ("customers", "xlsx"), ("quarantine", "csv")):
        run(f"export {what}", "export", "--db", db, "--what", what,
            "--out", str(folder / f"{what}.{suffix}"))  # fmt: skip
    run("export to a bad suffix", "export", "--db", db, "--what", "records",
        "--out", str(folder / "out.pdf"))  # fmt: skip
    run("clusters", "clusters", "--db", db, "--out", str(folder / "clusters.csv"))
    run("kpi", "kpi", "--db", db, "--today", "2026-12-01")
    run("audit verify", "audit", "verify", "--db", db)
    run("unmerge", "unmerge", "--db", db, "--actor", "wang", "--customer", customer)
    run("dedupe", "dedupe", str(data), "--out", str(folder / "dedupe.csv"), "--id-column", "编号")
    return runs


COMMANDS = {
    "import": 0, "import again": 2, "import a binary file": 2, "import a missing file": 2,
    "import by an unknown id column": 2, "match": 0, "add a steward": 0,
    "merge picking a value no record holds": 2, "merge as no user": 2, "merge": 0,
    "pick a value the customer lacks": 2, "edit to an invalid mobile": 2, "customer": 0,
    "history": 0, "export records": 0, "export customers": 0, "export quarantine": 0,
    "export to a bad suffix": 2, "clusters": 0, "kpi": 0, "audit verify": 0, "unmerge": 0,
    "dedupe": 0,
}  # fmt: skip
"""Each command run, and the exit code it must give."""


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_commands_stderr_holds_no_personal_data(cli_runs, name):
    argv, code, stderr = cli_runs[name]
    assert code == COMMANDS[name], stderr
    assert leaked(stderr, argv) == [], stderr


def test_an_error_names_the_ids_and_what_the_user_typed(cli_runs):
    argv, _, stderr = cli_runs["merge picking a value no record holds"]
    assert "name='欧阳峰X' is not one of the records' values (records " in stderr
    _, _, stderr = cli_runs["pick a value the customer lacks"]
    assert "'黄老邪' is not one of customer" in stderr
    _, _, stderr = cli_runs["edit to an invalid mobile"]
    assert "mobile '12345' is not valid" in stderr
    _, _, stderr = cli_runs["import by an unknown id column"]
    assert "会员号" in stderr


def test_the_stderr_checked_is_not_empty_where_progress_or_an_error_is_written(cli_runs):
    assert cli_runs["match"][2].strip()  # the match's stages
    assert all(cli_runs[n][2].startswith("error: ") for n, code in COMMANDS.items() if code)


# -- the engine, with Python logging at DEBUG -------------------------------------


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every logger at DEBUG, including those that do not propagate
    to the root (Streamlit's)."""
    caplog.set_level(logging.DEBUG)
    quiet = [lg for lg in logging.root.manager.loggerDict.values()
             if isinstance(lg, logging.Logger) and not lg.propagate]  # fmt: skip
    saved = [(lg, lg.level) for lg in quiet]
    for lg in quiet:
        lg.addHandler(caplog.handler)
        lg.setLevel(logging.DEBUG)
    yield caplog
    for lg, level in saved:
        lg.removeHandler(caplog.handler)
        lg.setLevel(level)


def test_the_engine_logs_no_personal_data_at_debug(store, tmp_path, every_log, capfd):
    from core.errors import InputError
    from core.ingest.importer import import_file
    from core.matching.runs import run_match
    from core.ops.export import export_customers, export_records
    from core.quality.kpis import compute
    from core.stewardship.card import customer_card
    from core.stewardship.merge import approve
    from core.stewardship.search import search_customers
    from core.trail import verify

    steward = Actor("wang", "steward")
    import_file(store, people_file(tmp_path), source="门店登记", actor=Actor("loader", "system"),
                id_column="编号", today=TODAY)  # fmt: skip
    run_match(store)
    proposal = store.conn.execute("select min(id) from proposals").fetchone()[0]
    with pytest.raises(InputError) as refused:
        approve(store, proposal, steward, picks={"name": "欧阳峰X"})
    assert leaked(str(refused.value), ("欧阳峰X",)) == []
    done = approve(store, proposal, steward)
    settings = store.settings()
    for text in ("欧阳锋", "13912340002", "hong.qigong@126.com"):
        search_customers(store, text, steward)
    customer_card(store.conn, done.customer_id, Actor("li", "manager"), settings)
    export_records(store, tmp_path / "r.csv", viewer=SYSTEM)
    export_customers(store, tmp_path / "c.xlsx", viewer=SYSTEM)
    compute(store)
    assert verify(store.conn).ok
    out, err = capfd.readouterr()
    assert leaked(every_log.text) == [] and leaked(err) == [] and leaked(out) == []


# -- the app --------------------------------------------------------------------


@pytest.fixture
def people_app(app_db: Path, tmp_path: Path) -> Path:
    """The demo store with the known people imported and matched."""
    from core.ingest.importer import import_file
    from core.matching.runs import run_match
    from core.store import open_store

    with open_store(app_db) as s:
        import_file(s, people_file(tmp_path), source="门店登记", actor=Actor("steward", "steward"),
                    id_column="编号", today=TODAY)  # fmt: skip
        run_match(s)
    return app_db


def test_the_app_logs_no_personal_data_at_debug(people_app, every_log, capfd):
    at = signed_in("steward")
    at.switch_page("pages/customers.py").run()
    for text in ("欧阳锋", "139 1234 0002", "hong.qigong@126.com"):
        at.text_input(key="c_query").input(text).run()
        assert not at.exception
    at.button(key="c_open").click().run()
    at.switch_page("pages/check.py").run()
    at.text_input(key="chk_name").input("黄药师")
    at.text_input(key="chk_mobile").input("13912340002")
    at.get("form_submit_button")[0].click().run()
    at.switch_page("pages/import_data.py").run()
    data = people_file(people_app.parent).read_bytes()
    at.file_uploader(key="imp_file").upload("again.csv", data, "text/csv").run()
    at.text_input(key="imp_source_new").input("展会名片").run()
    at.button(key="imp_run").click().run()
    assert not at.exception and at.success
    _, err = capfd.readouterr()
    assert every_log.records, "nothing was captured: the capture itself is broken"
    assert leaked(every_log.text) == []  # not even what the steward typed into search
    assert leaked(err) == []


# -- upload limits -----------------------------------------------------------------


def upload(at, rows: int):  # type: ignore[no-untyped-def]
    body = "\n".join(f"客户{i},1391234{i:04d}" for i in range(rows))
    at.file_uploader(key="imp_file").upload("big.csv", f"姓名,手机\n{body}\n".encode(), "text/csv")
    return at.run()


def test_a_file_over_the_row_limit_is_refused_on_the_import_page_with_the_limit(app_db):
    from core.store import open_store

    with open_store(app_db) as s:
        set_setting(s, "upload_max_rows", 3, actor=SYSTEM)
        batches = s.count("import_batches")
    at = signed_in("steward")
    at.switch_page("pages/import_data.py").run()
    upload(at, 4)
    assert [e.value for e in at.error] == [EN["import.too_big"].format(rows="4", limit="3")]
    assert not [b for b in at.button if b.key == "imp_run"]
    upload(at, 3)  # exactly at the limit: accepted
    assert not at.error and [b for b in at.button if b.key == "imp_run"]
    with open_store(app_db) as s:
        assert s.count("import_batches") == batches


def test_the_server_config_bounds_uploads_hides_error_details_and_keeps_xsrf_on():
    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")  # no tomllib on 3.10
    config = dict(re.findall(r"^\s*(\w+)\s*=\s*(\S+)", text, re.M))
    assert 1 <= int(config["maxUploadSize"]) <= 1000  # MB, set on purpose
    assert config["enableXsrfProtection"] == "true"
    assert config["showErrorDetails"] == '"none"'  # tracebacks hold customer data
    assert config["level"] in ('"warning"', '"error"')


def test_security_md_states_the_commands_run_here():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    errors = sum(1 for code in COMMANDS.values() if code)
    assert f"{len(COMMANDS)} command-line runs" in text and f"{errors} of them errors" in text
