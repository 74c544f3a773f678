"""Log in against the users of the store."""

import streamlit as st

from core.errors import PermissionDenied
from core.users import sign_in
from pages.common import Keys, flash, store, t

st.title(t("login.title"))
flash()
with st.form("login", clear_on_submit=False):
    username = st.text_input(t("login.username"), key="login_username")
    password = st.text_input(t("login.password"), type="password", key="login_password")
    submitted = st.form_submit_button(t("login.submit"), type="primary")
if submitted:
    try:
        with store() as s:
            session = sign_in(s, username.strip(), password)
    except PermissionDenied:
        st.error(t("login.failed"), icon=":material/lock:")
    else:
        st.session_state[Keys.USER] = session.actor.username
        st.session_state[Keys.ROLE] = session.actor.role
        st.session_state[Keys.SESSION] = session.version
        st.rerun()
