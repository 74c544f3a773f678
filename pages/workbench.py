"""Merge workbench: one proposal's records side by side; approve (whole or
in part), pick surviving values, or reject. The next proposal opens after
a decision."""

import pandas as pd
import streamlit as st

from core.clock import utc_now
from core.errors import ConflictError
from core.stewardship.merge import approve, claim, reject
from core.stewardship.queue import next_proposal
from core.stewardship.workbench import proposal_view
from pages.common import (
    Keys,
    actor,
    ask,
    field_name,
    flash,
    guard,
    inert,
    lang,
    pending,
    settle,
    shown_errors,
    store,
    t,
)  # fmt: skip


def _view(pid: int):
    with store() as s:
        return proposal_view(s.conn, pid, s.settings(), actor())


def _next(after: int) -> None:
    with store() as s:
        following = next_proposal(s.conn, after)
    st.session_state[Keys.PROPOSAL] = following
    st.session_state[Keys.FLASH] += " " + t("bench.next" if following else "bench.none_left")
    st.rerun()


@st.dialog(t("bench.approve"), on_dismiss=settle)
def confirm_merge(pid: int, version: int, keep: list[int], exclude: list[int],
                  picks: dict[str, str], note: str) -> None:  # fmt: skip
    st.write(t("bench.will_merge", n=len(keep)))
    if exclude:
        st.write(t("bench.will_split", n=len(exclude)))
    for name, value in picks.items():
        st.write(t("bench.will_pick", field=field_name(name), value=inert(value)))
    if st.button(t("bench.confirm"), key="confirm_merge", type="primary"):
        settle()
        with shown_errors(), store() as s:
            done = approve(s, pid, actor(), exclude=exclude, picks=picks, note=note,
                           expected_version=version)  # fmt: skip
            st.session_state[Keys.FLASH] = t("bench.merged", id=done.customer_id)
            _next(pid)


@st.dialog(t("bench.reject"), on_dismiss=settle)
def confirm_reject(pid: int, version: int, note: str) -> None:
    st.write(t("bench.will_reject"))
    if st.button(t("bench.confirm"), key="confirm_reject", type="primary"):
        settle()
        with shown_errors(), store() as s:
            reject(s, pid, actor(), note=note, expected_version=version)
            st.session_state[Keys.FLASH] = t("bench.rejected")
            _next(pid)


st.title(t("bench.title"))
guard("merge")
flash()
pid = st.session_state.get(Keys.PROPOSAL)
if pid is None:
    with store() as s:
        pid = next_proposal(s.conn, -1)
    if pid is None:
        st.info(t("bench.pick"), icon=":material/inbox:")
        st.stop()
    st.session_state[Keys.PROPOSAL] = pid
view = _view(pid)
if view.status != "open":
    st.info(t("bench.decided", status=view.status))
    st.stop()
me = actor().username
if view.claimed_by == me and view.claimed_until > utc_now():
    st.caption(t("bench.claimed_by_you", until=view.claimed_until))  # claimed once, on opening
elif view.claimed_by == "" or view.claimed_until < utc_now():
    try:
        with store() as s:
            until = claim(s, pid, actor())
        st.caption(t("bench.claimed_by_you", until=until))
    except ConflictError:
        st.warning(t("bench.claimed_by_other", user=view.claimed_by, until=view.claimed_until))
else:
    st.warning(t("bench.claimed_by_other", user=view.claimed_by, until=view.claimed_until))
    view = _view(pid)

band = t(f"queue.band.{view.band}")
st.subheader(t("bench.proposal", id=pid, score=view.score, band=band))
st.markdown("**" + t("bench.reasons") + "**")
for text in dict.fromkeys(view.reasons(lang())):
    st.markdown(f"- {text}")

st.markdown("**" + t("bench.records") + "**")
heads = [f"{t('bench.record', id=r.record_id)} · {r.channel} · {r.when[:10]}" for r in view.records]
rows = []
for f in view.fields:
    cells = [r.values.get(f.field, "") for r in view.records]
    rows.append([field_name(f.field), t(f"bench.state.{f.state}"), *cells])
table = pd.DataFrame(rows, columns=[t("bench.field"), "", *heads])
conflict = t("bench.state.conflict")
st.dataframe(
    table.style.apply(lambda row: ["background-color: #fde2e1" if row.iloc[1] == conflict
                                   else "" for _ in row], axis=1),
    hide_index=True, key=f"bench_table_{pid}_{view.version}",
)  # fmt: skip

picks: dict[str, str] = {}
conflicts = [f for f in view.fields if f.state == "conflict"]
if conflicts:
    st.markdown("**" + t("bench.conflicts") + "**")
    for f in conflicts:
        why = f.why_zh if lang() == "zh" else f.why_en
        chosen = st.selectbox(field_name(f.field), list(f.options), index=0,
                              key=f"pick_{pid}_{f.field}",
                              help=t("bench.proposed", value=inert(f.proposed), why=inert(why)))  # fmt: skip
        if chosen != f.proposed:
            picks[f.field] = chosen
labels = {r.record_id: f"{t('bench.record', id=r.record_id)} · {r.channel}" for r in view.records}
exclude = st.multiselect(t("bench.exclude"), list(labels), key=f"exclude_{pid}",
                         format_func=labels.get)  # fmt: skip
note = st.text_input(t("bench.note"), key=f"note_{pid}")
keep = [r for r in labels if r not in exclude]
too_few = len(keep) < 2  # with every record but one split off there is nothing to merge
if too_few:
    st.info(t("bench.too_few", reject=t("bench.reject")))
left, right = st.columns(2)
if left.button(t("bench.approve"), key="approve", type="primary", icon=":material/merge:",
               disabled=too_few):  # fmt: skip
    ask("merge", pid=pid, version=view.version, keep=keep, exclude=list(exclude), picks=picks,
        note=note)  # fmt: skip
if right.button(t("bench.reject"), key="reject", icon=":material/call_split:"):
    ask("reject", pid=pid, version=view.version, note=note)
if (merge := pending("merge")) and merge["pid"] == pid:
    merge.pop("kind")
    confirm_merge(**merge)
if (rejection := pending("reject")) and rejection["pid"] == pid:
    rejection.pop("kind")
    confirm_reject(**rejection)
