"""The reveal form shared by the Customers and Audit pages: one masked
value shown in full, with a reason (core checks the role and audits it)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.masking import Revealable
from core.privacy.reveal import reveal
from pages.common import actor, field_name, inert, shown_errors, store, t


def reveal_label(item: Revealable) -> str:
    """How a value that may be revealed is named in the reveal form."""
    if item.record_id is None:
        return t("reveal.golden", field=field_name(item.field))
    return t("reveal.record", field=field_name(item.field), id=item.record_id)


def reveal_form(key: str, items: Sequence[Revealable]) -> bool:
    """A small form to reveal one masked value, with a reason. Core checks
    the role and the reason and audits the reveal; the value is shown here
    once and never kept in session state. Returns whether one was shown."""
    labels = {reveal_label(i): i for i in items}
    with st.form(key):
        st.markdown("**" + t("reveal.title") + "**")
        st.caption(t("reveal.help"))
        chosen = st.selectbox(t("reveal.field"), list(labels), key=f"{key}_field")
        reason = st.text_input(t("reveal.reason"), key=f"{key}_reason",
                               placeholder=t("reveal.reason_hint"))  # fmt: skip
        asked = st.form_submit_button(t("reveal.button"), key=f"{key}_button",
                                      icon=":material/visibility:")  # fmt: skip
    if not asked or chosen not in labels:
        return False
    item = labels[chosen]
    with shown_errors(), store() as s:
        value = reveal(s, actor(), item.customer_id, item.field, reason, record_id=item.record_id)
        st.success(t("reveal.shown", item=inert(chosen), value=inert(value)),
                   icon=":material/visibility:")  # fmt: skip
        return True
    return False
