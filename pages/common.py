"""Shared page helpers: language, the signed-in actor, the store for this
rerun, cached reads keyed by the data version, and typed-error display.

Session state holds only small selections, under the keys of :class:`Keys`;
everything else is read from the store (and cached by data version).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from core.actors import LOGIN_ROLES, PERMISSIONS, Actor
from core.errors import ConflictError, PermissionDenied, StewardError
from core.store import Store, open_store
from pages.texts import EN, ZH

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "demo.db"
T = TypeVar("T")


class Keys:
    """Every session-state key the app uses."""

    USER = "user"  # the signed-in user name
    ROLE = "role"  # and role (re-read from the store on every rerun)
    SESSION = "session_version"  # the account's session version at login
    LAST_SEEN = "last_seen"  # monotonic time of the last rerun, for the idle timeout
    LANG = "lang"  # "zh" or "en", once chosen in the sidebar
    PROPOSAL = "proposal_id"  # the proposal open in the workbench
    CUSTOMER = "customer_id"  # the customer open on the Customers page
    QUEUE_PAGE = "queue_page"
    FLASH = "flash"  # a message to show once after a rerun (e.g. "merged")
    IMPORTED = "imported"  # the last import's summary, for the Import page
    PENDING = "pending"  # a decision waiting for its confirmation dialog
    AUDIT_SESSION = "audit_session_id"  # the audit session open on the Audit page
    AUDIT_ITEM = "audit_item"  # the sampled decision being judged
    SEARCH = "customer_search"  # the last search on the Customers page and the customers found


def lang() -> str:
    """The UI language: the sidebar choice, else the browser's locale."""
    chosen = st.session_state.get(Keys.LANG)
    if chosen in ("zh", "en"):
        return str(chosen)
    locale = getattr(st.context, "locale", None) or "en"
    return "zh" if str(locale).lower().startswith("zh") else "en"


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the UI language (English if missing), filled in."""
    text = (ZH if lang() == "zh" else EN).get(key, EN[key])
    return text.format(**values) if values else text


def db_path() -> Path:
    """The store file: ``STEWARD_DB``, or the demo database under data/."""
    return Path(os.environ.get("STEWARD_DB") or DEFAULT_DB)


def is_demo() -> bool:
    return db_path().resolve() == DEFAULT_DB.resolve()


def store() -> Store:
    """A store connection for this rerun (connections are thread-bound and
    Streamlit runs each rerun on its own thread)."""
    return open_store(db_path())


SIGNED_IN_KEYS = ("USER", "ROLE", "SESSION", "PROPOSAL", "CUSTOMER", "SEARCH", "PENDING")
"""What a session forgets when it ends (names of :class:`Keys` attributes)."""


def sign_out(message: str | None = None) -> None:
    """End the session: forget who is signed in and what they had open, and
    leave ``message`` for the login page."""
    for name in SIGNED_IN_KEYS:
        st.session_state.pop(getattr(Keys, name), None)
    if message:
        st.session_state[Keys.FLASH] = message


def actor() -> Actor:
    """The signed-in actor (pages are only reached after login)."""
    return Actor(str(st.session_state[Keys.USER]), st.session_state[Keys.ROLE])


def data_version() -> int:
    """Changes whenever the store changes: every change writes an audit entry."""
    with store() as s:
        row = s.conn.execute("select coalesce(max(seq), 0) from audit_log").fetchone()
    return int(row[0])


def cached(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache a read by the store, its data version and the arguments."""
    # Streamlit keys a cache by the cached function's code, which is this one
    # lambda for every read: the read's own name must be part of the key.
    inner = st.cache_data(show_spinner=False, max_entries=64)(
        lambda name, path, version, *args: fn(*args)
    )
    name = f"{fn.__module__}.{fn.__qualname__}"

    def read(*args: Any) -> T:
        return inner(name, str(db_path()), data_version(), *args)

    return read


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show the engine's typed errors as messages; anything else is a bug
    and surfaces (in tests and logs)."""
    try:
        yield
    except PermissionDenied as exc:
        st.error(t("error.permission", message=inert(str(exc))), icon=":material/block:")
    except ConflictError as exc:
        st.warning(t("error.conflict", message=inert(str(exc))), icon=":material/group:")
    except StewardError as exc:  # messages quote what was typed or uploaded: keep it inert
        st.error(t("error.input", message=inert(str(exc))), icon=":material/error:")


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#<>!~$:|"})
_LINE_START = re.compile(r"^(\s*(?:\d+(?=\.))?)([-+=.])", re.M)  # lists, setext rules


def inert(text: str) -> str:
    r"""``text`` (a customer's value, a file's header, a channel) escaped for
    the places Streamlit reads as Markdown (``st.markdown``, ``st.write``,
    captions, headers, alerts, widget labels and help), so that ``**``,
    links, images, ``:red[...]``, ``$...$`` and HTML-ish text show as typed.
    Tables (``st.dataframe``, ``st.table``) and option lists need no escaping.

    Example:
        >>> print(inert("**hi** ![x](http://e/p.png) +86 138"))
        \*\*hi\*\* \!\[x\]\(http\://e/p.png\) +86 138
        >>> print(inert("- 1. list"))
        \- 1. list
    """
    escaped = text.translate(_MARKDOWN)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def plot_label(text: str) -> str:
    """``text`` (a channel, a user name) made inert for a Plotly label: Plotly
    reads a little HTML in axis ticks, legends, hover text and bar labels
    (``<a href>`` becomes a live link, ``<b>`` bold), and decodes entities
    there, so ``&``, ``<`` and ``>`` are written as entities and the label
    shows exactly as typed.

    Example:
        >>> plot_label('web<a href="https://evil.example/">click</a> & co')
        'web&lt;a href="https://evil.example/"&gt;click&lt;/a&gt; &amp; co'
    """
    return html.escape(str(text), quote=False)


def field_name(field: str) -> str:
    return t(f"field.{field}") if f"field.{field}" in EN else field


def flash() -> None:
    """Show (once) the message a previous rerun left."""
    message = st.session_state.pop(Keys.FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def ask(kind: str, **details: Any) -> None:
    """Ask for confirmation of a decision: its dialog shows until confirmed,
    cancelled or dismissed (kept in session state, so a full rerun keeps it)."""
    st.session_state[Keys.PENDING] = {"kind": kind, **details}


def pending(kind: str) -> dict[str, Any] | None:
    """The decision of ``kind`` waiting for confirmation, if any."""
    asked = st.session_state.get(Keys.PENDING)
    return dict(asked) if asked and asked.get("kind") == kind else None


def settle() -> None:
    """Forget the decision waiting for confirmation (confirmed, or dismissed)."""
    st.session_state.pop(Keys.PENDING, None)


def guard(operation: str) -> None:
    """Stop the page unless the signed-in role may perform ``operation`` of
    the permission table (the navigation already hides the page; core
    refuses the operations anyway)."""
    role = st.session_state.get(Keys.ROLE)
    roles = sorted(r for r in PERMISSIONS[operation] if r in LOGIN_ROLES)
    if role not in roles:
        st.error(t("error.permission", message=", ".join(roles)), icon=":material/block:")
        st.stop()
