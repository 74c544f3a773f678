"""Audit sessions (auditors): open a session on a period's sample, judge
each decision in full, watch the estimates, sign off and export the report."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.assurance.report import html_report, xlsx_report
from core.assurance.results import results, sign
from core.assurance.sessions import STRATA, list_sessions, open_session
from pages.audit_item import item_panel, stratum
from pages.common import (
    Keys,
    actor,
    ask,
    cached,
    flash,
    guard,
    lang,
    pending,
    settle,
    shown_errors,
    store,
    t,
)  # fmt: skip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sessions() -> list[dict[str, object]]:
    with store() as s:
        return list_sessions(s.conn)


def _results(session_id: int):
    with store() as s:
        return results(s.conn, session_id)


def _reports(session_id: int, language: str) -> tuple[str, bytes]:
    with store() as s:
        return html_report(s.conn, session_id, language), xlsx_report(s.conn, session_id, language)


def this_quarter() -> str:
    today = date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


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


def precision_tile(cell, label: str, estimate) -> None:  # type: ignore[no-untyped-def]
    """The estimate in the tile, its interval on a line of its own (a tile
    cuts off a value as long as "85.7% (48.7%–97.4%)")."""
    cell.metric(label, "—" if estimate.value is None else f"{estimate.value:.1%}")
    if estimate.low is not None and estimate.high is not None:
        cell.caption(t("audit.interval", low=f"{estimate.low:.1%}", high=f"{estimate.high:.1%}"))


def estimates(found) -> None:  # type: ignore[no-untyped-def]
    cells = st.columns(3)
    precision_tile(cells[0], t("audit.merges"), found.merges)
    precision_tile(cells[1], t("audit.rejects"), found.rejects)
    cells[2].metric(t("audit.judged"), f"{found.session.judged} / {len(found.session.items)}")
    rows = [{t("audit.col.stratum"): stratum(n), t("audit.col.population"): r.population,
             t("audit.col.sampled"): r.sampled, t("audit.col.correct"): r.correct,
             t("audit.col.incorrect"): r.incorrect, t("audit.col.unsure"): r.unsure,
             t("audit.col.precision"): r.precision.percent()}
            for n, r in found.strata.items()]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="audit_strata_table")


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
guard("audit_session")
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
