"""Finding customers by what a steward types: a name in Chinese or pinyin,
a phone number in any format, an e-mail address or a company.

The text is standardized the way an import would standardize it and then
looked up through the indexes of the ``standardized`` table, so 张伟,
張偉, "zhang wei" and "Wei ZHANG" find the same people, and
``138 1234 5678`` finds ``+8613812345678``. Each hit is a customer (the
records found are folded into the customers they belong to), best match
kind first.

Contact look-ups: a search by a phone number or an e-mail address tells
whether that contact is in the store and whose it is, even with the hits'
contacts masked. So it is an operation of its own, ``search_contacts``,
which the masked roles (manager, auditor) do not have: they find customers
by name and company only, and a contact-shaped query is refused whatever
it would find. Each contact look-up by a role that may make one is written
to the audit trail (``lookup``: who, when, phone or e-mail, which customers
were found; never the typed value), so that a steward using the store as a
phone book shows in the trail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core import trail
from core.actors import Actor, require
from core.masking import masked
from core.settings import Settings
from core.standardize.company import normalize_company
from core.standardize.email_address import normalize_email
from core.standardize.name import normalize_name
from core.standardize.phone import normalize_phone
from core.stewardship.customers import get
from core.store import Store

MatchKind = Literal["phone", "email", "name", "company"]


@dataclass(frozen=True, slots=True)
class Hit:
    """A customer found, with its headline values."""

    customer_id: int
    matched_on: str  # "phone", "email", "name", "company"
    name: str
    mobile: str
    email: str
    company: str
    records: int
    status: str


def contact_kind(text: str) -> Literal["phone", "email"] | None:
    """Whether ``text`` is searched as a contact (``phone``, ``email``) or
    not (None: a name or a company). Decided by the text's shape alone, so
    the answer never depends on what the store holds.

    Example:
        >>> contact_kind("138 1234 5678"), contact_kind("a@qq.com"), contact_kind("张伟")
        ('phone', 'email', None)
    """
    query = text.strip()
    if "@" in query:
        return "email"
    digits = sum(ch.isdigit() for ch in query)
    if digits >= 5 and digits >= len(query.replace(" ", "")) * 0.6:
        return "phone"
    return None


def search_customers(
    store: Store,
    text: str,
    viewer: Actor,
    *,
    limit: int = 20,
    settings: Settings | None = None,
) -> list[Hit]:
    """Customers whose records match ``text``; empty text finds nothing.

    Args:
        store: the store.
        text: what the viewer typed.
        viewer: who searches; contact details in the hits are masked for
            roles that may not see them (see :mod:`core.masking`).
        limit: most customers returned.
        settings: ``default_region`` reads phone numbers without a prefix
            (the store's settings by default).

    Returns:
        The customers found, best match kind first.

    Raises:
        PermissionDenied: the viewer may not read customers, or the text
            is a phone number or an e-mail address and the viewer may not
            search by contact (``search_contacts``): a manager or an
            auditor, whether or not the contact exists.

    Example:
        >>> search_customers(store, "13812345678", Actor("wang.fang", "steward"))  # doctest: +SKIP
        [Hit(customer_id=12, matched_on='phone', name='张伟', ...)]
    """
    require(viewer, "read_customers")
    query = text.strip()
    if not query:
        return []
    contact = contact_kind(query)
    if contact is not None:
        require(viewer, "search_contacts")
    settings = settings or store.settings()
    conn = store.conn
    found = _find(conn, _lookups(query, contact, str(settings["default_region"])), limit)
    if contact is not None:
        with store.write() as db:
            trail.append(
                db.conn,
                viewer,
                "lookup",
                {"customer": list(found)},
                payload={"kind": contact, "hits": len(found)},
            )
    return hits(conn, list(found.items()), settings, viewer)


def hits(
    conn: sqlite3.Connection,
    found: Sequence[tuple[int, str]],
    settings: Settings,
    viewer: Actor,
) -> list[Hit]:
    """The hits of customers found earlier (``(customer_id, matched_on)``,
    as :func:`search_customers` returned them), read again as they are now:
    a page shows a search's result on every rerun without searching (and
    auditing a contact look-up) again.

    Raises:
        PermissionDenied: the viewer may not read customers.
    """
    require(viewer, "read_customers")
    out = []
    for cid, kind in found:
        c = get(conn, int(cid), settings)
        out.append(
            Hit(int(cid), str(kind), c.display_name,
                masked("mobile", c.value("mobile") or c.value("phone"), viewer),
                masked("email", c.value("email"), viewer), c.value("company"), len(c.members),
                c.status)
        )  # fmt: skip
    return out


def _find(
    conn: sqlite3.Connection, lookups: list[tuple[str, str, str]], limit: int
) -> dict[int, str]:
    """Customer id -> how it was found, in the order of ``lookups``."""
    found: dict[int, str] = {}
    for kind, column, value in lookups:
        for (record,) in conn.execute(
            f"select record_id from standardized where [{column}] = ? limit ?", (value, limit * 4)
        ):
            owner = conn.execute(
                "select customer_id from customer_members where record_id = ?", (record,)
            ).fetchone()
            if owner and int(owner[0]) not in found and len(found) < limit:
                found[int(owner[0])] = kind
        if len(found) >= limit:
            break
    return found


def _lookups(query: str, contact: str | None, region: str) -> list[tuple[str, str, str]]:
    """(kind, standardized column, value) to look up, most specific first."""
    out: list[tuple[str, str, str]] = []
    if contact == "email":
        email = normalize_email(query)
        out.append(("email", "email", email.value or query.lower()))
        return out
    if contact == "phone":
        phone = normalize_phone(query, region)
        if phone.value:
            out += [("phone", "mobile", phone.value), ("phone", "phone", phone.value)]
        return out
    name = normalize_name(query)
    if name.key:
        out.append(("name", "name_key", name.key))
    company = normalize_company(query)
    if company.key and company.key != name.key:
        out.append(("company", "company_key", company.key))
    return out
