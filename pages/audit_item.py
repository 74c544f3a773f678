"""The audit page's item panel: one sampled decision in full (who, when,
why, the records, the values before and after, as the auditor may see
them) and the verdict form. Used by ``pages/audit.py``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.assurance.items import item_view
from core.assurance.sessions import VERDICTS, judge
from pages.common import (
    Keys,
    actor,
    cached,
    field_name,
    inert,
    lang,
    shown_errors,
    store,
    t,
)
from pages.reveal_view import reveal_form

NEXT_ITEM = "audit_next_item"  # set after a verdict; the item picker moves there on the next run


def verdict_keys(session_id: int, decision_id: int) -> tuple[str, str]:
    """The keys of the verdict and note widgets of one sampled decision."""
    return f"audit_verdict_{session_id}_{decision_id}", f"audit_note_{session_id}_{decision_id}"


def stratum(name: str) -> str:
    return t(f"audit.stratum.{name}")


def _item(decision_id: int, role: str, username: str):
    from core.actors import Actor

    with store() as s:
        return item_view(s.conn, decision_id, s.settings(), Actor(username, role))


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
    # Keyed by the session and the decision: a widget keyed alike for every
    # item kept the previous item's verdict and note (issue 14). An item not
    # judged yet starts with no verdict chosen.
    keys = verdict_keys(session_id, chosen)
    with st.form(f"verdict_{session_id}_{chosen}"):
        verdict = st.radio(t("audit.verdict"), list(VERDICTS), horizontal=True,
                           index=VERDICTS.index(mine.verdict) if mine.verdict else None,
                           format_func=lambda v: t(f"audit.verdict.{v}"), key=keys[0])  # fmt: skip
        note = st.text_area(t("audit.note"), mine.note, key=keys[1])
        if st.form_submit_button(t("audit.save"), type="primary"):
            if verdict is None:
                st.error(t("audit.choose"), icon=":material/rule:")
                return
            with shown_errors(), store() as s:
                judge(s, session_id, chosen, verdict, actor(), note)
                rest = [d for d in waiting if d != chosen]
                st.session_state[NEXT_ITEM] = rest[0] if rest else chosen
                st.session_state[Keys.FLASH] = t("audit.saved", id=chosen)
                st.rerun()
