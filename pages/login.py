"""Log in against the users of the store."""

import streamlit as st

from core.errors import LoginThrottled, PermissionDenied
from core.users import sign_in
from pages.common import Keys, flash, store, t


def client() -> str:
    """Who is trying to log in, for throttling failed logins per client: the
    browser's address (Streamlit gives None for localhost)."""
    address = getattr(st.context, "ip_address", None)
    return address if isinstance(address, str) and address else "local"


st.title(t("login.title"))
flash()
with st.form("login", clear_on_submit=False):
    username = st.text_input(t("login.username"), key="login_username")
    password = st.text_input(t("login.password"), type="password", key="login_password")
    submitted = st.form_submit_button(t("login.submit"), type="primary")
if submitted:
    try:
        with store() as s:
            session = sign_in(s, username.strip(), password, client=client())
    except LoginThrottled as wait:
        st.error(t("login.wait", seconds=wait.wait_seconds), icon=":material/hourglass_top:")
    except PermissionDenied:
        st.error(t("login.failed"), icon=":material/lock:")
    else:
        st.session_state[Keys.USER] = session.actor.username
        st.session_state[Keys.ROLE] = session.actor.role
        st.session_state[Keys.SESSION] = session.version
        st.rerun()
