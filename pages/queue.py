"""Review queue: open proposals, best first, filterable; open one to decide."""

import datetime as dt

import pandas as pd
import streamlit as st

from core.assurance.results import flagged_for_unmerge
from core.stewardship.queue import QueueFilter, review_queue
from pages.common import Keys, actor, cached, flash, guard, store, t

PAGE_SIZE = 25


def _page(filters: QueueFilter, offset: int):
    with store() as s:
        return review_queue(s.conn, filters, offset=offset, limit=PAGE_SIZE)


def _flagged():
    with store() as s:
        return flagged_for_unmerge(s.conn)


def audit_findings() -> None:
    """Merges a signed audit found incorrect and that still stand: to unmerge."""
    flagged = [f for f in cached(_flagged)() if f.customer_id is not None]
    if not flagged:
        return
    with st.expander(t("queue.flagged", n=len(flagged)), expanded=True, icon=":material/gavel:"):
        st.dataframe(
            pd.DataFrame(
                [(f.customer_id, f.decision_id, f"#{f.session_id} {f.period}", f.judged_by, f.note)
                 for f in flagged],
                columns=[t(f"col.{c}") for c in ("customer_id", "decision_id", "session",
                                                 "judged_by", "note")],
            ),
            hide_index=True, key="flagged_table",
        )  # fmt: skip
        ids = [f.customer_id for f in flagged]
        chosen = st.selectbox(t("col.customer_id"), ids, key="flagged_pick")
        if st.button(t("queue.flagged.open"), key="flagged_open", icon=":material/call_split:"):
            st.session_state[Keys.CUSTOMER] = int(chosen)
            st.switch_page("pages/customers.py")


st.title(t("queue.title"))
guard("merge")
flash()
audit_findings()
left, middle, right, last = st.columns(4)
bands = left.multiselect(t("queue.band"), ["review", "auto"], default=["review"], key="q_band",
                         format_func=lambda b: t(f"queue.band.{b}"))  # fmt: skip
channels = cached(_page)(QueueFilter(), 0).channels
channel = middle.selectbox(t("queue.channel"), ["", *channels], key="q_channel",
                           format_func=lambda c: c or t("queue.any"))  # fmt: skip
since = right.date_input(t("queue.since"), value=None, key="q_since")
owners = {
    "": t("queue.owner.any"),
    "-": t("queue.owner.free"),
    actor().username: t("queue.owner.me"),
}
owner = last.selectbox(t("queue.owner"), list(owners), key="q_owner", format_func=owners.get)
filters = QueueFilter(tuple(bands), channel, since.isoformat() if isinstance(since, dt.date) else "",
                      "", owner)  # fmt: skip
total = cached(_page)(filters, 0).total
pages = max(1, -(-total // PAGE_SIZE))
number = st.number_input(t("queue.page"), 1, pages, 1, key="q_page") if pages > 1 else 1
page = cached(_page)(filters, (int(number) - 1) * PAGE_SIZE)
st.caption(t("queue.total", total=f"{page.total:,}"))
if not page.rows:
    st.info(t("queue.empty"), icon=":material/inbox:")
    st.stop()
table = pd.DataFrame(
    [(r.proposal_id, round(r.score, 3), r.size, r.names, r.channels, r.claimed_by,
      r.created_at[:16], t(f"queue.band.{r.band}")) for r in page.rows],
    columns=[t(f"col.{c}") for c in ("proposal_id", "score", "size", "names", "channels",
                                     "claimed_by", "created_at", "band")],
)  # fmt: skip
st.dataframe(table, hide_index=True, key="queue_table")
labels = {r.proposal_id: f"#{r.proposal_id} · {r.names}" for r in page.rows}
chosen = st.selectbox(t("col.proposal_id"), list(labels), key="q_pick", format_func=labels.get)
if st.button(t("queue.open"), key="q_open", type="primary", icon=":material/open_in_new:"):
    st.session_state[Keys.PROPOSAL] = int(chosen)
    st.switch_page("pages/workbench.py")
