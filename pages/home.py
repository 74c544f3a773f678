"""Overview: the store's counts and its import batches."""

import pandas as pd
import streamlit as st

from core.quality.overview import overview
from pages.common import cached, flash, guard, store, t


def _overview():
    with store() as s:
        return overview(s)


data = cached(_overview)()
st.title(t("home.title"))
guard("read_kpis")
flash()
cells = st.columns(4)
cells[0].metric(t("home.records"), f"{data.records:,}")
cells[1].metric(t("home.quarantined"), f"{data.quarantined:,}")
cells[2].metric(t("home.customers"), f"{data.customers:,}")
cells[3].metric(t("home.open"), f"{data.open_proposals:,}")

st.subheader(t("home.batches"))
if not data.batches:
    st.info(t("home.no_batches"))
    st.stop()
frame = pd.DataFrame(data.batches)
frame.columns = [t(f"col.{c}") for c in frame.columns]
st.dataframe(frame, hide_index=True, key="home_batches")
