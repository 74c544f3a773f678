"""End to end in a real browser: Debian's Chromium driven by Playwright
against ``streamlit run app.py`` on a temporary copy of the demo database.

No browser is ever downloaded. Without /usr/bin/chromium these tests are
skipped with a loud reason, except under ``CI=true``, where a missing
browser fails them. Screenshots go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store import open_store
from pages.texts import ZH
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI needs /usr/bin/chromium for the browser tests (apt-get install chromium)",
                    pytrace=False)  # fmt: skip
    pytest.skip(
        "SKIPPED LOUDLY: no /usr/bin/chromium, so the browser tests did not run; "
        "install Debian's chromium and fonts-noto-cjk to run them",
        allow_module_level=True,
    )

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    from core.ops.demo import build_demo

    db = tmp_path_factory.mktemp("e2e") / "demo.db"
    build_demo(db)
    port = _free_port()
    env = {**os.environ, "STEWARD_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start: " + proc.stderr.read().decode()[-2000:])
    yield url, db
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(server) -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def log_in(page: Page, url: str, user: str = "steward") -> None:
    page.goto(url)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill("demo")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="概览")).to_be_visible(timeout=30_000)


def settled(page: Page) -> None:
    """Wait until the script run has finished: until then Streamlit keeps the
    elements of the run before on screen (a widget keyed anew stays twice)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=30_000)  # fmt: skip


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_browser_locale_picks_chinese_and_chinese_glyphs_are_real(page, server):
    url, _ = server
    page.goto(url)
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    # Two different characters: with a CJK font they differ; as missing-glyph
    # boxes they would be identical pixels.
    distinct = page.evaluate(
        """() => {
            const draw = ch => { const c = document.createElement('canvas');
                c.width = 40; c.height = 40; const x = c.getContext('2d');
                x.font = '32px sans-serif'; x.fillText(ch, 2, 32); return c.toDataURL(); };
            return draw('客') !== draw('户');
        }"""
    )
    assert distinct, "Chinese renders as boxes: install fonts-noto-cjk"
    assert shot(page, "login_zh").stat().st_size > 5_000


def test_a_steward_approves_a_merge_and_finds_the_customer(page, server):
    url, db = server
    log_in(page, url)
    page.get_by_role("link", name="审核队列").click()
    expect(page.get_by_role("heading", name="审核队列")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="打开").click()
    expect(page.get_by_role("heading", name="合并工作台")).to_be_visible(timeout=30_000)
    proposal = page.get_by_role("heading", name="建议").first.inner_text()
    shot(page, "workbench_zh")
    page.get_by_role("button", name="确认合并").click()
    page.get_by_role("dialog").get_by_role("button", name="确认").click()
    expect(page.get_by_text("已合并为客户")).to_be_visible(timeout=30_000)
    message = page.get_by_text("已合并为客户").inner_text()
    customer = int("".join(ch for ch in message.split("客户")[1] if ch.isdigit()) or 0)
    with open_store(db) as s:
        name = s.conn.execute(
            "select value from customer_values where customer_id = ? and field = 'name' "
            "and is_primary = 1", (customer,),
        ).fetchone()[0]  # fmt: skip
    page.get_by_role("link", name="客户", exact=True).click()
    page.get_by_label("按姓名（汉字或拼音）、电话、邮箱或公司搜索").fill(name)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="打开").click()
    expect(page.get_by_role("heading", name=f"客户 {customer}")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("merge").first).to_be_visible()
    assert proposal and shot(page, "customer_zh").exists()


def test_switching_to_english_changes_every_label(page, server):
    url, _ = server
    log_in(page, url, "manager")
    page.get_by_text("English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="Customers")).to_be_visible()
    shot(page, "overview_en")


def test_a_manager_sees_the_dashboard_with_charts_in_chinese(page, server):
    url, _ = server
    log_in(page, url, "manager")
    page.get_by_role("link", name="数据质量看板").click()
    expect(page.get_by_role("heading", name="数据质量看板")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("记录数").first).to_be_visible()
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart.locator(".gtitle").first).to_have_text("质量趋势", timeout=30_000)
    shot(page, "dashboard_zh")


# -- issue 14: what only a real browser shows -----------------------------------------------


def test_an_open_session_ends_on_its_next_click_once_the_account_is_demoted(page, server):
    # finding 9: the session kept its role after the user was demoted from the CLI
    from core.users import add_user

    url, db = server
    with open_store(db) as s:
        add_user(s, "e2e.steward", "steward", "e2e-pass")
    page.goto(url)
    page.get_by_label("用户名").fill("e2e.steward")
    page.get_by_label("密码").fill("e2e-pass")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="概览")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="审核队列").click()
    expect(page.get_by_role("heading", name="审核队列")).to_be_visible(timeout=30_000)
    with open_store(db) as s:
        add_user(s, "e2e.steward", "manager", "e2e-pass")  # demoted, same password
    page.get_by_role("link", name="客户", exact=True).click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(ZH["app.revoked"])).to_be_visible()
    expect(page.get_by_role("link", name="审核队列")).to_have_count(0)


def test_a_grid_offers_no_csv_download_of_its_cells(page, server):
    # finding 14: the st.dataframe toolbar's "Download as CSV" exported =1+1 as a formula
    url, _ = server
    log_in(page, url, "manager")
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=30_000)
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)


LINK_CHANNEL = 'web<a href="https://evil.example/">click</a>'


def test_a_channel_name_with_a_link_is_plain_text_in_the_managers_charts(page, server):
    # finding 15: `web<a href=…>click</a>` became a clickable link in a Plotly label
    from core.actors import Actor
    from core.ingest.importer import import_file
    from tests.conftest import write_csv

    url, db = server
    data = write_csv(db.parent / "web-link.csv", [["姓名", "手机"], ["钟国杰", "18072583154"]])
    with open_store(db) as s:
        import_file(s, data, source=LINK_CHANNEL, actor=Actor("loader", "system"))
    log_in(page, url, "manager")
    page.get_by_role("link", name="数据质量看板").click()
    expect(page.get_by_role("heading", name="数据质量看板")).to_be_visible(timeout=30_000)
    for tab in ("字段 × 来源", "渠道"):
        page.get_by_role("tab", name=tab).click()
        chart = page.locator('[data-testid="stTabPanel"]:visible .js-plotly-plot').first
        expect(chart).to_be_visible(timeout=30_000)
        expect(chart.locator("text", has_text="click").first).to_be_visible(timeout=30_000)
        assert "web<a href=" in chart.inner_text(), tab  # shown as typed
        expect(chart.locator("a")).to_have_count(0)  # no link anywhere in the chart
    shot(page, "dashboard_link_channel")


def test_an_auditor_judges_three_items_differently_and_the_signed_report_keeps_each(page, server):
    # finding 18: each item opened with the previous item's verdict and note, so the
    # signed report showed verdicts and notes written for other decisions
    from core.assurance.sessions import get_session

    url, db = server
    log_in(page, url, "auditor")
    page.get_by_role("link", name="审计会话").click()
    expect(page.get_by_role("heading", name="审计会话", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="期间").fill("2000-01-01..2099-12-31")
    page.get_by_role("spinbutton", name="样本量").fill("3")
    page.get_by_role("textbox", name="随机种子（可选）").fill("7")
    page.get_by_role("button", name="创建会话").click()
    opened = page.get_by_text(re.compile(r"审计会话 \d+ 已创建。"))
    expect(opened).to_be_visible(timeout=30_000)
    session = int(re.search(r"\d+", opened.inner_text()).group())
    plan = [("正确", "correct", "核对无误"), ("错误", "incorrect", "生日不同，不是同一个人"),
            ("不确定", "unsure", "资料不全，需回访")]  # fmt: skip
    judged: dict[int, tuple[str, str]] = {}
    verdicts = page.get_by_role("radiogroup")
    note = page.get_by_label("备注（判定为正确以外时必填）")
    for k, (label, verdict, text) in enumerate(plan):
        settled(page)
        heading = page.get_by_role("heading", name=re.compile(r"^决定 \d+："))
        expect(heading).to_have_text(re.compile(r"^决定 \d+："), timeout=30_000)
        decision = int(re.search(r"\d+", heading.inner_text()).group())
        assert decision not in judged
        for name in ("正确", "错误", "不确定"):  # a new item starts with no verdict…
            expect(verdicts.get_by_role("radio", name=name)).not_to_be_checked()
        expect(note).to_have_value("")  # …and no note
        if k == 0:  # saving without a choice is refused
            page.get_by_role("button", name="保存判定").click()
            expect(page.get_by_text(ZH["audit.choose"])).to_be_visible(timeout=30_000)
            settled(page)
        verdicts.get_by_text(label, exact=True).click()
        note.fill(text)
        page.get_by_role("button", name="保存判定").click()
        expect(page.get_by_text(f"已保存对决定 {decision} 的判定。")).to_be_visible(timeout=30_000)
        judged[decision] = (verdict, text)
    page.get_by_role("button", name="签署").click()
    page.get_by_role("dialog").get_by_role("button", name="签署").click()
    expect(page.get_by_text(f"审计会话 {session} 已签署。")).to_be_visible(timeout=30_000)
    with open_store(db) as s:
        items = get_session(s.conn, session).items
    assert {i.decision_id: (i.verdict, i.note) for i in items} == judged
    settled(page)
    page.get_by_text("预览报告").click()
    table = page.locator('[data-testid="stHtml"] table').last
    expect(table).to_be_visible(timeout=30_000)
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3, timeout=30_000)
    shown = {}
    for row in rows.all():
        cells = [(c.text_content() or "").strip() for c in row.locator("td").all()]
        shown[int(cells[0])] = (cells[5], cells[6])
    names = {"correct": "正确", "incorrect": "错误", "unsure": "不确定"}
    assert shown == {d: (names[v], n) for d, (v, n) in judged.items()}
    shot(page, "audit_signed_zh")
