"""Finding customers by what a steward types: a name in Chinese or pinyin,
a phone number in any format, an e-mail address or a company.

The text is standardized the way an import would standardize it and then
looked up through the indexes of the ``standardized`` table, so 张伟,
張偉, "zhang wei" and "Wei ZHANG" find the same people, and
``138 1234 5678`` finds ``+8613812345678``. Each hit is a customer (the
records found are folded into the customers they belong to), best match
kind first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.actors import Actor, require
from core.masking import masked
from core.settings import Settings
from core.standardize.company import normalize_company
from core.standardize.email_address import normalize_email
from core.standardize.name import normalize_name
from core.standardize.phone import normalize_phone
from core.stewardship.customers import get


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


def search_customers(
    conn: sqlite3.Connection,
    text: str,
    settings: Settings,
    viewer: Actor,
    *,
    limit: int = 20,
) -> list[Hit]:
    """Customers whose records match ``text``; empty text finds nothing.

    Args:
        conn: the store's connection.
        text: what the viewer typed.
        settings: ``default_region`` reads phone numbers without a prefix.
        viewer: who searches; contact details are masked for roles that
            may not see them (see :mod:`core.masking`).
        limit: most customers returned.

    Raises:
        PermissionDenied: the viewer may not read customers.
    """
    require(viewer, "read_customers")
    query = text.strip()
    if not query:
        return []
    found: dict[int, str] = {}
    for kind, column, value in _lookups(query, str(settings["default_region"])):
        for (record,) in conn.execute(
            f"select record_id from standardized where [{column}] = ? limit ?", (value, limit * 4)
        ):
            owner = conn.execute(
                "select customer_id from customer_members where record_id = ?", (record,)
            ).fetchone()
            if owner and int(owner[0]) not in found:
                found[int(owner[0])] = kind
        if len(found) >= limit:
            break
    hits = []
    for cid, kind in list(found.items())[:limit]:
        c = get(conn, cid, settings)
        hits.append(
            Hit(cid, kind, c.display_name,
                masked("mobile", c.value("mobile") or c.value("phone"), viewer),
                masked("email", c.value("email"), viewer), c.value("company"), len(c.members),
                c.status)
        )  # fmt: skip
    return hits


def _lookups(query: str, region: str) -> list[tuple[str, str, str]]:
    """(kind, standardized column, value) to look up, most specific first."""
    out: list[tuple[str, str, str]] = []
    if "@" in query:
        email = normalize_email(query)
        out.append(("email", "email", email.value or query.lower()))
        return out
    digits = sum(ch.isdigit() for ch in query)
    if digits >= 5 and digits >= len(query.replace(" ", "")) * 0.6:
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
