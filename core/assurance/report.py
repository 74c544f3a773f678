"""The audit session report, as printable HTML or as XLSX.

Both carry the same content: the period and the sample (seed, strata),
the estimated precision of merges and of rejects with their Wilson 95%
intervals, the findings, every item with its verdict, and the integrity
statement: the head of the trail at sign-off (sequence number and hash),
what ``audit verify`` said then, and what it says now, when the report is
made. The report names decisions by id; it carries no customer's personal
data beyond the auditor's own notes.
"""

from __future__ import annotations

import html
import io
import sqlite3
from pathlib import Path
from typing import Any, Literal

from core import trail
from core.assurance.results import Results, flagged_for_unmerge, results
from core.clock import utc_now
from core.errors import InputError
from core.sheets import Sheet, write_workbook

Lang = Literal["en", "zh"]

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Audit session {id}: {period}",
        "period": "Period", "status": "Status", "open": "open (not signed)",
        "signed": "signed", "opened": "Opened by", "signed_by": "Signed by",
        "seed": "Random seed", "sample": "Sample", "stratum": "Stratum",
        "population": "Decisions in period", "sampled": "Sampled", "correct": "Correct",
        "incorrect": "Incorrect", "unsure": "Unsure", "unjudged": "No verdict yet",
        "precision": "Precision (95% Wilson interval)", "results": "Results",
        "merges": "Merges (auto and steward)", "rejects": "Rejects",
        "integrity": "Integrity of the audit trail",
        "head": "Head of the trail at sign-off", "verify_then": "audit verify at sign-off",
        "verify_now": "audit verify when this report was made", "ok": "OK",
        "broken": "BROKEN", "head_same": "Entry {seq} still has the hash above",
        "head_changed": "Entry {seq} no longer has the hash above",
        "check": "To check again: python -m core audit verify --db STORE",
        "findings": "Findings", "unmerge": "Merges to unmerge",
        "items": "Items", "decision": "Decision", "kind": "Kind", "by": "Decided by",
        "at": "At", "verdict": "Verdict", "note": "Note", "judged_by": "Judged by",
        "customer": "Customer", "undone": "Undone", "made": "Report made at",
        "none": "none", "yes": "yes", "no": "no", "entries": "{n} entries checked",
        "auto_merge": "auto-merge", "merge": "steward merge", "reject": "reject",
        "unmerge_s": "unmerge", "pick": "manual pick or edit", "move": "record moved",
    },
    "zh": {
        "title": "审计会话 {id}：{period}",
        "period": "期间", "status": "状态", "open": "进行中（未签署）", "signed": "已签署",
        "opened": "创建人", "signed_by": "签署人", "seed": "随机种子", "sample": "样本",
        "stratum": "层", "population": "期间内决定数", "sampled": "抽样数", "correct": "正确",
        "incorrect": "错误", "unsure": "不确定", "unjudged": "未判定",
        "precision": "准确率（95% Wilson 区间）", "results": "结果",
        "merges": "合并（自动与人工）", "rejects": "拒绝", "integrity": "审计日志完整性",
        "head": "签署时日志末条", "verify_then": "签署时 audit verify",
        "verify_now": "生成报告时 audit verify", "ok": "通过", "broken": "已损坏",
        "head_same": "第 {seq} 条的哈希与上面一致", "head_changed": "第 {seq} 条的哈希已改变",
        "check": "再次核对：python -m core audit verify --db STORE",
        "findings": "发现的问题", "unmerge": "待拆分的合并", "items": "抽样明细",
        "decision": "决定", "kind": "类型", "by": "决定人", "at": "时间", "verdict": "判定",
        "note": "备注", "judged_by": "审计人", "customer": "客户", "undone": "已撤销",
        "made": "报告生成于", "none": "无", "yes": "是", "no": "否", "entries": "已核对 {n} 条",
        "auto_merge": "自动合并", "merge": "人工合并", "reject": "拒绝",
        "unmerge_s": "拆分", "pick": "人工选值或编辑", "move": "记录移动",
    },
}  # fmt: skip

_VERDICTS = {"en": {}, "zh": {"correct": "正确", "incorrect": "错误", "unsure": "不确定"}}


def write_report(conn: sqlite3.Connection, session_id: int, out: str | Path,
                 lang: Lang = "en") -> Path:  # fmt: skip
    """Write the report to ``out`` (``.html`` or ``.xlsx``); returns the path.

    Raises:
        InputError: another extension.
        NotFoundError: no such session.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".xlsx"):
        raise InputError(f"{out.name}: choose a report file ending in .html or .xlsx")
    if suffix == ".xlsx":
        out.write_bytes(xlsx_report(conn, session_id, lang))
    else:
        out.write_text(html_report(conn, session_id, lang), encoding="utf-8")
    return out


def _facts(conn: sqlite3.Connection, session_id: int) -> tuple[Results, dict[str, Any]]:
    found = results(conn, session_id)
    now = trail.verify(conn)
    s = found.session
    still = None
    if s.head_seq is not None:
        row = conn.execute("select hash from audit_log where seq = ?", (s.head_seq,)).fetchone()
        still = bool(row and row[0] == s.head_hash)
    items = {
        int(d): (k, a, at)
        for d, k, a, at in conn.execute(
            "select d.id, d.kind, d.actor, d.at from decisions d join audit_session_items i "
            "on i.decision_id = d.id where i.session_id = ?",
            (session_id,),
        )
    }
    unmerge = [f for f in flagged_for_unmerge(conn) if f.session_id == session_id]
    return found, {"verify_now": now, "head_still": still, "decisions": items,
                   "unmerge": unmerge, "made": utc_now()}  # fmt: skip


def _stratum(name: str, lang: Lang) -> str:
    return LABELS[lang]["unmerge_s" if name == "unmerge" else name]


def _verdict(v: str | None, lang: Lang) -> str:
    return "" if v is None else _VERDICTS[lang].get(v, v)


def html_report(conn: sqlite3.Connection, session_id: int, lang: Lang = "en") -> str:
    """The report as one self-contained, printable HTML page."""
    found, facts = _facts(conn, session_id)
    L, s, e = LABELS[lang], found.session, html.escape

    def table(header: list[str], rows: list[list[Any]]) -> str:
        head = "".join(f"<th>{e(str(h))}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{e('' if c is None else str(c))}</td>" for c in r) + "</tr>"
            for r in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    status = L["signed"] if s.status == "signed" else L["open"]
    parts = [
        f"<h1>{e(L['title'].format(id=s.id, period=s.period.label))}</h1>",
        table([L["period"], L["status"], L["opened"], L["signed_by"], L["seed"]],
              [[f"{s.period.start} – {s.period.end}", status, f"{s.opened_by} {s.opened_at}",
                f"{s.signed_by or ''} {s.signed_at or ''}".strip(), s.seed]]),
        f"<h2>{e(L['results'])}</h2>",
        table([L["stratum"], L["population"], L["sampled"], L["correct"], L["incorrect"],
               L["unsure"], L["unjudged"], L["precision"]],
              [[_stratum(n, lang), r.population, r.sampled, r.correct, r.incorrect, r.unsure,
                r.unjudged, r.precision.percent()] for n, r in found.strata.items()]
              + [[L["merges"], "", "", found.merges.successes,
                  found.merges.n - found.merges.successes, "", "", found.merges.percent()],
                 [L["rejects"], "", "", found.rejects.successes,
                  found.rejects.n - found.rejects.successes, "", "", found.rejects.percent()]]),
        f"<h2>{e(L['integrity'])}</h2>",
        _integrity_html(found, facts, L),
        f"<h2>{e(L['findings'])}</h2>",
        table([L["decision"], L["stratum"], L["verdict"], L["note"], L["judged_by"],
               L["customer"], L["undone"]],
              [[f.decision_id, _stratum(f.stratum, lang), _verdict(f.verdict, lang), f.note,
                f.judged_by, f.customer_id, L["yes"] if f.undone else L["no"]]
               for f in found.findings]) if found.findings else f"<p>{e(L['none'])}</p>",
        f"<h3>{e(L['unmerge'])}</h3>",
        table([L["decision"], L["customer"], L["note"]],
              [[f.decision_id, f.customer_id, f.note] for f in facts["unmerge"]])
        if facts["unmerge"] else f"<p>{e(L['none'])}</p>",
        f"<h2>{e(L['items'])}</h2>",
        table([L["decision"], L["stratum"], L["kind"], L["by"], L["at"], L["verdict"], L["note"],
               L["judged_by"]],
              [[i.decision_id, _stratum(i.stratum, lang), *facts["decisions"][i.decision_id],
                _verdict(i.verdict, lang), i.note, i.judged_by or ""] for i in s.items]),
        f"<p class='made'>{e(L['made'])} {e(facts['made'])}</p>",
    ]  # fmt: skip
    style = (
        "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;"
        "color:#111}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid "
        "#999;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}"
        ".bad{color:#b00;font-weight:bold}.good{color:#060;font-weight:bold}"
        "code{font-size:90%;word-break:break-all}@media print{body{margin:0}h2{break-after:avoid}"
        "tr{break-inside:avoid}}"
    )
    title = e(L["title"].format(id=s.id, period=s.period.label))
    return (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        f"<meta charset='utf-8'><title>{title}</title><style>{style}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def _integrity_html(found: Results, facts: dict[str, Any], L: dict[str, str]) -> str:
    s, e = found.session, html.escape
    now = facts["verify_now"]

    def mark(ok: bool | None) -> str:
        if ok is None:
            return "—"
        return f"<span class='{'good' if ok else 'bad'}'>{e(L['ok'] if ok else L['broken'])}</span>"

    lines = []
    if s.head_seq is not None:
        lines.append(f"<li>{e(L['head'])}: #{s.head_seq} <code>{e(s.head_hash or '')}</code></li>")
        lines.append(f"<li>{e(L['verify_then'])}: {mark(s.verify_ok)}</li>")
        key = "head_same" if facts["head_still"] else "head_changed"
        lines.append(f"<li>{mark(facts['head_still'])} {e(L[key].format(seq=s.head_seq))}</li>")
    problem = "" if now.ok else f" (#{now.bad_seq}: {e(now.problem)})"
    entries = L["entries"].format(n=now.entries)
    lines.append(f"<li>{e(L['verify_now'])}: {mark(now.ok)}{problem} ({e(entries)})</li>")
    lines.append(f"<li><code>{e(L['check'])}</code></li>")
    return "<ul>" + "".join(lines) + "</ul>"


def _ok(ok: bool | None, labels: dict[str, str]) -> str:
    return "—" if ok is None else labels["ok"] if ok else labels["broken"]


def xlsx_report(conn: sqlite3.Connection, session_id: int, lang: Lang = "en") -> bytes:
    """The report as an XLSX workbook (summary, strata, findings, items)."""
    found, facts = _facts(conn, session_id)
    L, s, now = LABELS[lang], found.session, facts["verify_now"]
    summary: list[list[Any]] = [
        [L["period"], f"{s.period.label} ({s.period.start} – {s.period.end})"],
        [L["status"], L["signed"] if s.status == "signed" else L["open"]],
        [L["opened"], f"{s.opened_by} {s.opened_at}"],
        [L["signed_by"], f"{s.signed_by or ''} {s.signed_at or ''}".strip()],
        [L["seed"], s.seed],
        [L["merges"], found.merges.percent()],
        [L["rejects"], found.rejects.percent()],
        [L["head"], f"#{s.head_seq} {s.head_hash}" if s.head_seq else "—"],
        [L["verify_then"], _ok(s.verify_ok, L)],
        [L["verify_now"], L["ok"] if now.ok else f"{L['broken']} (#{now.bad_seq})"],
        [L["made"], facts["made"]],
    ]  # fmt: skip
    sheets: dict[str, Sheet] = {
        "summary": (["", ""], summary),
        "strata": (
            [L["stratum"], L["population"], L["sampled"], L["correct"], L["incorrect"],
             L["unsure"], L["unjudged"], "precision", "low_95", "high_95"],
            [[_stratum(n, lang), r.population, r.sampled, r.correct, r.incorrect, r.unsure,
              r.unjudged, r.precision.value, r.precision.low, r.precision.high]
             for n, r in found.strata.items()],
        ),
        "findings": (
            [L["decision"], L["stratum"], L["verdict"], L["note"], L["judged_by"],
             L["customer"], L["undone"]],
            [[f.decision_id, _stratum(f.stratum, lang), _verdict(f.verdict, lang), f.note,
              f.judged_by, f.customer_id, L["yes"] if f.undone else L["no"]]
             for f in found.findings],
        ),
        "items": (
            [L["decision"], L["stratum"], L["kind"], L["by"], L["at"], L["verdict"], L["note"],
             L["judged_by"]],
            [[i.decision_id, _stratum(i.stratum, lang), *facts["decisions"][i.decision_id],
              _verdict(i.verdict, lang), i.note, i.judged_by or ""] for i in s.items],
        ),
    }  # fmt: skip
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()
