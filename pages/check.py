"""New customer check: is this customer already here? (the engine's
single-record check, before a duplicate is created)."""

import pandas as pd
import streamlit as st

from core.matching.check import check_record
from pages.common import guard, lang, shown_errors, store, t

st.title(t("check.title"))
guard("edit")
st.caption(t("check.intro"))
with st.form("check"):
    a, b = st.columns(2)
    fields = {
        "name": a.text_input(t("check.name"), key="chk_name"),
        "mobile": b.text_input(t("check.mobile"), key="chk_mobile"),
        "email": a.text_input(t("check.email"), key="chk_email"),
        "company": b.text_input(t("check.company"), key="chk_company"),
        "city": a.text_input(t("check.city"), key="chk_city"),
    }
    run = st.form_submit_button(t("check.run"), type="primary")
if not run or not any(v.strip() for v in fields.values()):
    st.stop()
with shown_errors(), store() as s:
    found = check_record(s, {k: v for k, v in fields.items() if v.strip()})
    if not found:
        st.success(t("check.none"), icon=":material/check_circle:")
        st.stop()
    st.write(t("check.found", n=len(found)))
    table = pd.DataFrame(
        [(c.record_id, c.source_record_id, round(c.score, 3), t(f"queue.band.{c.band}")
          if c.band != "no_match" else "—", c.reason_zh if lang() == "zh" else c.reason_en)
         for c in found],
        columns=[t(f"col.{k}") for k in ("record_id", "source_record_id", "score", "band_check",
                                         "reason_text")],
    )  # fmt: skip
    st.dataframe(table, hide_index=True, key="chk_results")
