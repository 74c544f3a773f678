"""The app shell: page configuration, the demo database, login, language
and the navigation each role may use."""

import time

import streamlit as st

from core.actors import PERMISSIONS
from core.ops.demo import ensure_demo
from core.users import session_actor
from pages.common import DEFAULT_DB, Keys, db_path, is_demo, lang, sign_out, store, t

st.set_page_config(page_title=t("app.title"), page_icon=":material/fact_check:", layout="wide")
# The grids' toolbar "Download as CSV" writes cells as displayed, formulas
# (=1+1) included; it is off here as well as in .streamlit/config.toml, in
# case the app is started from another folder without that file.
st.set_option("client.disableDataExport", True)

if db_path() == DEFAULT_DB and not DEFAULT_DB.exists():
    with st.spinner("Creating the demo database… / 正在创建演示数据库……"):
        ensure_demo(DEFAULT_DB)


def _choose_language() -> None:
    st.session_state[Keys.LANG] = "zh" if st.session_state["lang_choice"] == "中文" else "en"


with st.sidebar:
    st.radio(t("app.language"), ["中文", "English"], horizontal=True, key="lang_choice",
             index=0 if lang() == "zh" else 1, on_change=_choose_language)  # fmt: skip
    if is_demo():
        st.info(t("app.demo"), icon=":material/science:")

with store() as s:
    idle = int(s.settings()["session_idle_minutes"])
    signed_in = Keys.USER in st.session_state
    if signed_in and time.monotonic() - st.session_state.get(Keys.LAST_SEEN, 0.0) > idle * 60:
        sign_out(t("app.expired", minutes=idle))
        signed_in = False
    if signed_in:  # the role, the active flag and the session version, as the store has them now
        now = session_actor(s.conn, str(st.session_state[Keys.USER]),
                            int(st.session_state.get(Keys.SESSION, -1)))  # fmt: skip
        if now is None:
            sign_out(t("app.revoked"))
            signed_in = False
        else:
            st.session_state[Keys.ROLE] = now.role
st.session_state[Keys.LAST_SEEN] = time.monotonic()

PAGES = {
    "home": ("pages/home.py", "home.title", ":material/home:", "read_kpis"),
    "queue": ("pages/queue.py", "queue.title", ":material/inbox:", "merge"),
    "workbench": ("pages/workbench.py", "bench.title", ":material/merge:", "merge"),
    "customers": ("pages/customers.py", "customers.title", ":material/person_search:",
                  "read_customers"),
    "check": ("pages/check.py", "check.title", ":material/how_to_reg:", "edit"),
    "import": ("pages/import_data.py", "import.title", ":material/upload_file:", "import"),
    "dashboard": ("pages/dashboard.py", "dash.title", ":material/monitoring:", "read_kpis"),
    "audit": ("pages/audit.py", "audit.title", ":material/fact_check:", "audit_session"),
    "privacy": ("pages/privacy.py", "subject.title", ":material/privacy_tip:", "subject_rights"),
}  # fmt: skip
"""Each page and the operation of the permission table (core.actors) it
serves: a role sees the page when it may perform that operation."""

if not signed_in:
    navigation = st.navigation([st.Page("pages/login.py", title=t("login.title"),
                                        icon=":material/login:")])  # fmt: skip
else:
    role = st.session_state[Keys.ROLE]
    pages = [
        st.Page(path, title=t(title), icon=icon, default=name == "home", url_path=name)
        for name, (path, title, icon, operation) in PAGES.items()
        if role in PERMISSIONS[operation]
    ]
    navigation = st.navigation(pages)
    with st.sidebar:
        st.caption(t("app.signed_in", user=st.session_state[Keys.USER], role=t(f"role.{role}")))
        if st.button(t("app.logout"), key="logout", icon=":material/logout:"):
            sign_out()
            st.rerun()
navigation.run()
