"""Customers: search, and one customer's 360° view with history and unmerge."""

import pandas as pd
import streamlit as st

from core.actors import allowed
from core.masking import needs_mask
from core.stewardship.card import customer_card
from core.stewardship.search import contact_kind, hits, search_customers
from core.stewardship.unmerge import unmerge
from pages.common import (
    Keys,
    actor,
    ask,
    cached,
    field_name,
    flash,
    guard,
    inert,
    pending,
    settle,
    shown_errors,
    store,
    t,
)  # fmt: skip
from pages.reveal_view import reveal_form


def _hits(found: tuple[tuple[int, str], ...], role: str, username: str):
    from core.actors import Actor

    with store() as s:
        return hits(s.conn, found, s.settings(), Actor(username, role))


def found_for(query: str):  # type: ignore[no-untyped-def]
    """The hits for ``query``: searched (and a contact look-up audited) once
    when the query changes; later reruns read the same customers again."""
    me = actor()
    asked = st.session_state.get(Keys.SEARCH)
    if asked and asked["query"] == query and asked["user"] == me.username:
        return cached(_hits)(tuple(map(tuple, asked["found"])), me.role, me.username)
    st.session_state.pop(Keys.SEARCH, None)
    with store() as s:
        found = search_customers(s, query, me)
    st.session_state[Keys.SEARCH] = {"query": query, "user": me.username,
                                     "found": [(h.customer_id, h.matched_on) for h in found]}  # fmt: skip
    return found


def _card(customer_id: int, role: str, username: str):
    from core.actors import Actor

    with store() as s:
        return customer_card(s.conn, customer_id, Actor(username, role), s.settings())


@st.dialog(t("customers.unmerge"), on_dismiss=settle)
def confirm_unmerge(customer_id: int, version: int) -> None:
    st.write(t("customers.unmerge_confirm"))
    if st.button(t("bench.confirm"), key="confirm_unmerge", type="primary"):
        settle()
        with shown_errors(), store() as s:
            done = unmerge(s, customer_id, actor(), expected_version=version)
            message = t("customers.unmerged", ids=", ".join(map(str, done.customer_ids)))
            st.session_state[Keys.FLASH] = " ".join([message, *done.notes])
            st.session_state[Keys.CUSTOMER] = done.customer_ids[0] if done.customer_ids else None
            st.rerun()


st.title(t("customers.title"))
guard("read_customers")
flash()
me = actor()
if needs_mask(me):
    st.caption(t("customers.masked"))
contacts = allowed(me, "search_contacts")
query = st.text_input(t("customers.search" if contacts else "customers.search_names"),
                      key="c_query")  # fmt: skip
found = None
if query.strip() and not contacts and contact_kind(query):
    st.info(t("customers.names_only"), icon=":material/person_search:")
elif query.strip():
    with shown_errors():
        found = found_for(query.strip())
if found is not None:
    if not found:
        st.info(t("customers.none", query=inert(query)))
    else:
        table = pd.DataFrame(
            [(h.customer_id, h.name, h.mobile, h.email, h.company, h.records, h.matched_on)
             for h in found],
            columns=[t(f"col.{c}") for c in ("customer_id", "name", "mobile", "email", "company",
                                             "records", "matched_on")],
        )  # fmt: skip
        st.dataframe(table, hide_index=True, key="c_hits")
        labels = {h.customer_id: f"{h.customer_id} · {h.name}" for h in found}
        chosen = st.selectbox(t("col.customer_id"), list(labels), key="c_pick",
                              format_func=labels.get)  # fmt: skip
        if st.button(t("customers.open"), key="c_open"):
            st.session_state[Keys.CUSTOMER] = int(chosen)
elif not query.strip() and Keys.CUSTOMER not in st.session_state:
    st.info(t("customers.hint" if contacts else "customers.hint_names"))

customer_id = st.session_state.get(Keys.CUSTOMER)
if not customer_id:
    st.stop()
with shown_errors():
    card = cached(_card)(int(customer_id), me.role, me.username)
    st.subheader(f"{t('col.customer_id')} {card.customer_id}")
    if card.status != "active":
        st.warning(t("customers.retired"))
    elif card.dormant:
        st.warning(t("customers.dormant", reason=card.dormant_reason), icon=":material/bedtime:")
    else:
        st.caption(t("customers.active", reason=card.dormant_reason))
    if card.conflicts:
        st.caption(t("customers.conflicts", fields=", ".join(map(field_name, card.conflicts))))
    st.markdown("**" + t("customers.values") + "**")
    values = pd.DataFrame(
        [(field_name(v.field), v.value, "✓" if v.primary else "", v.record_id or "", v.rule,
          v.chosen_by, v.reason) for v in card.values],
        columns=[t(f"col.{c}") for c in ("field", "value", "primary", "record_id", "rule",
                                         "chosen_by", "reason")],
    )  # fmt: skip
    st.dataframe(values, hide_index=True, key=f"c_values_{card.customer_id}_{card.version}")
    st.markdown("**" + t("customers.records") + "**")
    records = pd.DataFrame(
        [(r.record_id, r.source_record_id, r.channel, r.when[:16], r.name, r.mobile, r.email)
         for r in card.records],
        columns=[t(f"col.{c}") for c in ("record_id", "source_record_id", "channel", "when",
                                         "name", "mobile", "email")],
    )  # fmt: skip
    st.dataframe(records, hide_index=True, key=f"c_records_{card.customer_id}_{card.version}")
    if card.revealable and reveal_form("c_reveal", card.revealable):
        card = cached(_card)(int(customer_id), me.role, me.username)  # the history shows it
    st.markdown("**" + t("customers.history") + "**")
    if card.history:
        history = pd.DataFrame(
            [(e.at, e.action, e.actor, e.role, e.reason) for e in card.history],
            columns=[t(f"col.{c}") for c in ("at", "action", "actor", "role", "reason")],
        )
        st.dataframe(history, hide_index=True, key=f"c_history_{card.customer_id}_{card.version}")
    else:
        st.caption(t("customers.no_history"))
    if card.can_unmerge and st.button(t("customers.unmerge"), key="c_unmerge",
                                      icon=":material/call_split:"):  # fmt: skip
        ask("unmerge", customer_id=card.customer_id, version=card.version)
    if (undo := pending("unmerge")) and undo["customer_id"] == card.customer_id:
        confirm_unmerge(undo["customer_id"], undo["version"])
