"""Data-subject requests (admin): export everything held about a person,
or erase it. Both are audited; an erasure is final. Before an erasure the
admin decides, for every other customer sharing a mobile, e-mail, id number
or WeChat, whether it is the same person (erased too) or not (kept)."""

import json
import sqlite3

import streamlit as st

from core.privacy.erasure import erase_subject
from core.privacy.subject import export_subject, related, summary
from pages.common import (
    actor,
    ask,
    field_name,
    guard,
    inert,
    pending,
    settle,
    shown_errors,
    store,
    t,
)


@st.dialog(t("subject.erase"), on_dismiss=settle)
def confirm_erase(customer_id: int, reason: str, include: list[int], exclude: list[int]) -> None:
    st.warning(t("subject.erase_warning", id=customer_id), icon=":material/warning:")
    if include:
        st.warning(t("subject.erase_also", ids=", ".join(map(str, include))))
    if st.button(t("subject.erase_confirm"), key="subj_confirm", type="primary"):
        settle()
        with shown_errors(), store() as s:
            done = erase_subject(s, actor(), customer_id, reason, include=include, exclude=exclude)
            st.session_state["subj_done"] = done.to_json()
            st.rerun()


def decide_related(conn: sqlite3.Connection, customer_id: int) -> dict[int, str | None]:
    """One choice per customer sharing a strong identifier: include (the
    same person) or exclude; a customer included brings its own relations."""
    choices: dict[int, str | None] = {}
    while found := [r for r in related(conn, customer_id, [c for c, v in choices.items()
                                                            if v == "include"])
                    if r.customer_id not in choices]:  # fmt: skip
        if not choices:
            st.markdown("**" + t("subject.related") + "**")
        for r in found:
            label = t("subject.related_row", id=r.customer_id, name=inert(r.name) or "—",
                      n=r.records, channels=inert("、".join(r.channels)) or "—",
                      fields=", ".join(field_name(f) for f in r.shared))  # fmt: skip
            choices[r.customer_id] = st.radio(
                label, ["include", "exclude"], index=None, horizontal=True,
                format_func=lambda c: t(f"subject.{c}"),
                key=f"subj_related_{customer_id}_{r.customer_id}",
            )  # fmt: skip
    return choices


st.title(t("subject.title"))
guard("subject_rights")
st.caption(t("subject.intro"))
done = st.session_state.pop("subj_done", None)
if done:
    st.success(t("subject.erased", **done), icon=":material/delete_forever:")
    if done["compact_problem"]:
        st.warning(t("subject.not_vacuumed", problem=inert(done["compact_problem"])),
                   icon=":material/warning:")  # fmt: skip
    if done["included"]:
        st.info(t("subject.erased_also", ids=", ".join(map(str, done["included"]))))
    if done["reasons_mentioning"]:
        st.info(t("subject.reasons_kept", n=done["reasons_mentioning"]))
customer_id = st.number_input(t("subject.customer"), min_value=1, step=1, value=None,
                              key="subj_customer")  # fmt: skip
if customer_id is None:
    st.stop()
with shown_errors(), store() as s:
    about = summary(s.conn, int(customer_id))
    st.write(t("subject.about", id=about.customer_id, name=inert(about.name) or "—",
               n=about.records, channels=inert("、".join(about.channels)) or "—"))  # fmt: skip
    if about.erased:
        st.info(t("subject.already_erased"), icon=":material/info:")
    choices = decide_related(s.conn, about.customer_id) if not about.erased else {}
    left, right = st.columns(2)
    if left.button(t("subject.export"), key="subj_export", icon=":material/download:"):
        data = export_subject(s, actor(), about.customer_id)
        left.download_button(t("subject.download"), json.dumps(data, ensure_ascii=False, indent=2),
                             file_name=f"subject-{about.customer_id}.json",
                             mime="application/json", key="subj_download")  # fmt: skip
    reason = right.text_input(t("subject.reason"), key="subj_reason",
                              placeholder=t("subject.reason_hint"))  # fmt: skip
    typed = right.text_input(t("subject.erase_type", id=about.customer_id), key="subj_confirm_id")
    decided = all(v is not None for v in choices.values())
    if not decided:
        right.caption(t("subject.undecided"))
    ready = (bool(reason.strip()) and typed.strip() == str(about.customer_id)
             and not about.erased and decided)  # fmt: skip
    if right.button(t("subject.erase"), key="subj_erase", type="primary", disabled=not ready,
                    icon=":material/delete_forever:"):  # fmt: skip
        ask("erase", customer_id=about.customer_id, reason=reason,
            include=sorted(c for c, v in choices.items() if v == "include"),
            exclude=sorted(c for c, v in choices.items() if v == "exclude"))  # fmt: skip
if (erasure := pending("erase")) and erasure["customer_id"] == about.customer_id:
    confirm_erase(erasure["customer_id"], erasure["reason"], erasure["include"],
                  erasure["exclude"])  # fmt: skip
