"""The app shell: page configuration, the demo database and navigation."""

import streamlit as st

from core.demo import ensure_demo
from pages.common import DEFAULT_DB, db_path, t

st.set_page_config(page_title=t("app.title"), page_icon=":material/fact_check:", layout="wide")

if db_path() == DEFAULT_DB and not DEFAULT_DB.exists():
    with st.spinner("Creating the demo database… / 正在创建演示数据库……"):
        ensure_demo(DEFAULT_DB)

home = st.Page("pages/home.py", title=t("home.title"), icon=":material/home:", default=True)
navigation = st.navigation([home])
navigation.run()
