"""Audit sessions (auditors): open a session on a period's sample, judge
each decision in full, watch the estimates, sign off and export the report."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.audit_items import item_view
from core.audit_report import html_report, xlsx_report
from core.audit_results import results, sign
from core.audit_sessions import STRATA, VERDICTS, judge, list_sessions, open_session
from pages.common import (
    Keys,
    actor,
    ask,
    cached,
    field_name,
    flash,
    guard,
    inert,
    lang,
    pending,
    reveal_form,
    settle,
    shown_errors,
    store,
    t,
)  # fmt: skip

NEXT_ITEM = "audit_next_item"  # set after a verdict; the item picker moves there on the next run
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sessions() -> list[dict[str, object]]:
    with store() as s:
        return list_sessions(s.conn)


def _results(session_id: int):
    with store() as s:
        return results(s.conn, session_id)


def _item(decision_id: int, role: str, username: str):
    from core.actors import Actor

    with store() as s:
        return item_view(s.conn, decision_id, s.settings(), Actor(username, role))


def _reports(session_id: int, language: str) -> tuple[str, bytes]:
    with store() as s:
        return html_report(s.conn, session_id, language), xlsx_report(s.conn, session_id, language)


def this_quarter() -> str:
    today = date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def stratum(name: str) -> str:
    return t(f"audit.stratum.{name}")


def opener() -> None:
    with st.form("open_session"):
        st.subheader(t("audit.open"))
        left, mid, right = st.columns(3)
        period = left.text_input(t("audit.period"), this_quarter(), help=t("audit.period_help"),
                                 key="audit_period")  # fmt: skip
        size = mid.number_input(t("audit.size"), 1, 10_000, 30, key="audit_size")
        seed = right.text_input(t("audit.seed"), "", help=t("audit.seed_help"), key="audit_seed")
        strata = st.multiselect(t("audit.strata"), list(STRATA), default=list(STRATA),
                                format_func=stratum, key="audit_strata")  # fmt: skip
        if st.form_submit_button(t("audit.open_button"), type="primary"):
            with shown_errors(), store() as s:
                if seed.strip() and not seed.strip().isdigit():
                    st.error(t("audit.seed_bad", seed=seed))
                    return
                sid = open_session(s, actor(), period, int(size), strata=strata,
                                   seed=int(seed) if seed.strip() else None)  # fmt: skip
                st.session_state[Keys.AUDIT_SESSION] = sid  # the picker below is not drawn yet
                st.session_state[Keys.FLASH] = t("audit.opened", id=sid)
                st.rerun()


def session_picker() -> int | None:
    sessions = cached(_sessions)()
    if not sessions:
        st.info(t("audit.none"), icon=":material/fact_check:")
        return None
    ids = [int(str(x["id"])) for x in sessions]
    by_id = {int(str(x["id"])): x for x in sessions}
    if st.session_state.get(Keys.AUDIT_SESSION) not in ids:
        st.session_state[Keys.AUDIT_SESSION] = ids[0]
    chosen = st.selectbox(
        t("audit.session"), ids, key=Keys.AUDIT_SESSION,
        format_func=lambda i: t("audit.session_label", id=i, period=by_id[i]["period"],
                                status=t(f"audit.status.{by_id[i]['status']}"),
                                judged=by_id[i]["judged"], size=by_id[i]["sample_size"]),
    )  # fmt: skip
    return int(chosen)


def estimates(found) -> None:  # type: ignore[no-untyped-def]
    cells = st.columns(3)
    cells[0].metric(t("audit.merges"), found.merges.percent())
    cells[1].metric(t("audit.rejects"), found.rejects.percent())
    cells[2].metric(t("audit.judged"), f"{found.session.judged} / {len(found.session.items)}")
    rows = [{t("audit.col.stratum"): stratum(n), t("audit.col.population"): r.population,
             t("audit.col.sampled"): r.sampled, t("audit.col.correct"): r.correct,
             t("audit.col.incorrect"): r.incorrect, t("audit.col.unsure"): r.unsure,
             t("audit.col.precision"): r.precision.percent()}
            for n, r in found.strata.items()]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="audit_strata_table")


def item_panel(session_id: int, found) -> None:  # type: ignore[no-untyped-def]
    items = found.session.items
    waiting = [i.decision_id for i in items if i.verdict is None]
    ids = [i.decision_id for i in items]
    verdicts = {i.decision_id: i for i in items}
    if (following := st.session_state.pop(NEXT_ITEM, None)) in ids:
        st.session_state[Keys.AUDIT_ITEM] = following
    if st.session_state.get(Keys.AUDIT_ITEM) not in ids:
        st.session_state[Keys.AUDIT_ITEM] = waiting[0] if waiting else ids[0]
    chosen = st.selectbox(
        t("audit.item"), ids, key=Keys.AUDIT_ITEM,
        format_func=lambda d: t("audit.item_label", id=d, stratum=stratum(verdicts[d].stratum),
                                verdict=t(f"audit.verdict.{verdicts[d].verdict or 'none'}")),
    )  # fmt: skip
    me = actor()
    view = cached(_item)(chosen, me.role, me.username)
    st.subheader(t("audit.decision", id=view.decision_id, kind=stratum(view.stratum)))
    st.write(t("audit.who", actor=view.actor, role=t(f"role.{view.role}")
               if view.role != "system" else t("audit.system"), at=view.at))  # fmt: skip
    if view.note:
        st.write(t("audit.note_was", note=inert(view.note)))
    if view.undone_by:
        st.warning(t("audit.undone", id=view.undone_by))
    for reason in view.reasons:
        st.write(f"- {reason.reason_zh if lang() == 'zh' else reason.reason_en} "
                 f"({reason.record_l}–{reason.record_r}, {reason.score:.2f})")  # fmt: skip
    if view.records:
        fields = sorted({f for r in view.records for f in r.values})
        table = pd.DataFrame(
            {f"{r.record_id} · {r.channel}": [r.values.get(f, "") for f in fields]
             for r in view.records}, index=[field_name(f) for f in fields],
        )  # fmt: skip
        st.dataframe(table, key="audit_records")
    if view.revealable:
        reveal_form("audit_reveal", view.revealable)
    if view.erased:
        st.info(t("audit.erased"))
    elif view.changes:
        st.dataframe(pd.DataFrame([{t("audit.col.field"): field_name(c.field),
                                    t("audit.col.before"): "; ".join(c.before) or "—",
                                    t("audit.col.after"): "; ".join(c.after) or "—"}
                                   for c in view.changes]), hide_index=True,
                     key="audit_changes")  # fmt: skip
    if found.session.status != "open":
        return
    mine = verdicts[chosen]
    with st.form(f"verdict_{chosen}"):
        verdict = st.radio(t("audit.verdict"), list(VERDICTS), horizontal=True,
                           index=VERDICTS.index(mine.verdict) if mine.verdict else 0,
                           format_func=lambda v: t(f"audit.verdict.{v}"), key="audit_verdict")  # fmt: skip
        note = st.text_area(t("audit.note"), mine.note, key="audit_note")
        if st.form_submit_button(t("audit.save"), type="primary"):
            with shown_errors(), store() as s:
                judge(s, session_id, chosen, verdict, actor(), note)
                rest = [d for d in waiting if d != chosen]
                st.session_state[NEXT_ITEM] = rest[0] if rest else chosen
                st.session_state[Keys.FLASH] = t("audit.saved", id=chosen)
                st.rerun()


@st.dialog(t("audit.sign"), on_dismiss=settle)
def confirm_sign(session_id: int) -> None:
    st.write(t("audit.will_sign"))
    if st.button(t("audit.confirm"), key="confirm_sign", type="primary"):
        settle()
        with shown_errors(), store() as s:
            sign(s, session_id, actor())
            st.session_state[Keys.FLASH] = t("audit.signed_ok", id=session_id)
            st.rerun()


def sign_off(session_id: int, found) -> None:  # type: ignore[no-untyped-def]
    s = found.session
    if s.status == "open":
        missing = len(s.items) - s.judged
        if missing:
            st.caption(t("audit.sign_wait", n=missing))
        if st.button(t("audit.sign"), key="sign", disabled=bool(missing), icon=":material/draw:"):
            ask("sign", session_id=session_id)
        if (asked := pending("sign")) and asked["session_id"] == session_id:
            confirm_sign(session_id)
        return
    st.success(t("audit.signed_by", user=s.signed_by, at=s.signed_at))
    st.write(t("audit.head", seq=s.head_seq, hash=s.head_hash))
    st.write(t("audit.verified" if s.verify_ok else "audit.not_verified"))
    page, book = cached(_reports)(session_id, lang())
    left, right = st.columns(2)
    left.download_button(t("audit.report_html"), page, file_name=f"audit-{session_id}.html",
                         mime="text/html", key="report_html", icon=":material/print:")  # fmt: skip
    right.download_button(t("audit.report_xlsx"), book, file_name=f"audit-{session_id}.xlsx",
                          mime=XLSX, key="report_xlsx", icon=":material/download:")  # fmt: skip
    with st.expander(t("audit.report_preview")):
        st.html(page)


st.title(t("audit.title"))
guard("auditor")
flash()
opener()
chosen = session_picker()
if chosen is not None:
    found = cached(_results)(chosen)
    estimates(found)
    sign_off(chosen, found)
    if found.findings:
        st.subheader(t("audit.findings"))
        st.dataframe(pd.DataFrame([{t("audit.col.decision"): f.decision_id,
                                    t("audit.col.stratum"): stratum(f.stratum),
                                    t("audit.col.verdict"): t(f"audit.verdict.{f.verdict}"),
                                    t("audit.col.note"): f.note} for f in found.findings]),
                     hide_index=True, key="audit_findings")  # fmt: skip
    item_panel(chosen, found)
