"""Landing page: record count and import batches."""

import pandas as pd
import streamlit as st

from core.overview import overview
from pages.common import is_demo, store, t

st.title(t("home.title"))
if is_demo():
    st.info(t("home.demo"), icon=":material/science:")

with store() as s:
    data = overview(s)

left, right = st.columns(2)
left.metric(t("home.records"), f"{data.records:,}")
right.metric(t("home.quarantined"), f"{data.quarantined:,}")

st.subheader(t("home.batches"))
if not data.batches:
    st.info(t("home.no_batches"))
    st.stop()
frame = pd.DataFrame(data.batches)
frame.columns = [t(f"col.{c}") for c in frame.columns]
st.dataframe(frame, hide_index=True, key="home_batches")
