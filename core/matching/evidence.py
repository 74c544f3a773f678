"""The structure of the evidence: which comparisons say one thing, and when
different customers agree more often than random records.

The Fellegi–Sunter model assumes that comparisons are independent given
whether two records are the same customer. In CRM data they are not, and
this module says where and how the engine corrects for it:

* :data:`GROUPS`: comparisons that describe one fact count once;
* :data:`CONTEXTS`: a shared mobile or workplace changes how often
  *different* customers agree on a surname, a sex or a district;
* :data:`EXACT_LEVELS`: levels whose agreeing pairs can be counted exactly;
* :data:`ANCHORS`: the agreements that make a pair worth learning from.
"""

from __future__ import annotations

import numpy as np

from core.matching.comparisons import NAMES

EXACT_LEVELS: dict[str, tuple[int, tuple[str, ...], tuple[str, str]]] = {
    "name": (0, ("name",), ("name_kind", "surname_only")),
    "mobile": (0, ("mob_a", "mob_b"), ("", "")),
    "landline": (0, ("land_a", "land_b"), ("", "")),
    "email": (0, ("email",), ("email_role", "1")),
    "wechat": (0, ("wechat",), ("", "")),
    "id_number": (0, ("id_number",), ("", "")),
    "birth_date": (0, ("birth_date",), ("", "")),
    "company": (0, ("company_key",), ("", "")),
    "address": (0, ("address_key",), ("", "")),
    "org_name": (0, ("org_key",), ("", "")),
    "domain": (0, ("domain",), ("", "")),
    "org_id": (0, ("org_id",), ("", "")),
}
"""Levels that mean "both records carry the same value of these columns"
(records whose ``(column, value)`` is the third item are left out: two
surname-only names, two shared mailboxes land elsewhere).
Every pair at such a level can be counted from value frequencies alone, so
the model learns how often *different* customers agree there from exact
counts (see :mod:`core.matching.model`), not from a random sample that also holds
duplicates."""


ANCHORS: dict[str, tuple[int, ...]] = {
    "mobile": (0, 1),
    "landline": (0,),
    "email": (0, 1, 2),
    "handle": (0, 1),
    "wechat": (0,),
    "id_number": (0, 1),
    "birth_date": (0,),
    "company": (0,),
    "address": (0, 1),
    "domain": (0,),
    "org_id": (0, 1),
    "org_name": (0, 1, 2),
}
"""Agreements other than on a person's name (for an organisation its name
is one: two organisations that share a name are rarely two). The model is trained on candidate
pairs that show at least one: pairs that share nothing but a name (two 王伟
in Beijing, in their thousands) are exactly the ones EM cannot tell apart,
and their sheer number would teach it that duplicates often differ in
mobile and e-mail (see :mod:`core.matching.training`)."""


def anchored(levels: np.ndarray) -> np.ndarray:
    """Pairs that agree on something besides the name (see :data:`ANCHORS`)."""
    hit = np.zeros(len(levels), dtype=bool)
    for comparison, at in ANCHORS.items():
        hit |= np.isin(levels[:, NAMES.index(comparison)], at)
    return hit


AGREEMENT: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "name": ((0, 1, 2, 3, 4, 5, 6, 9), (11,)),
    "gender": ((0,), (1, 2)),
    "location": ((0, 1, 2, 3), (4,)),
    "address": ((0, 1), (2,)),
    "landline": ((0, 1), (2,)),
    "company": ((0, 1), (2,)),
}
"""For comparisons whose ``u`` can depend on a context: the levels that mean
the surname (the sex, the place) agrees, and those that mean it does not."""

CONTEXTS: tuple[tuple[str, tuple[tuple[str, tuple[int, ...]], ...], tuple[str, ...]], ...] = (
    (
        "contact",
        (("mobile", (0,)), ("email", (0,)), ("wechat", (0,))),
        ("name", "gender", "location", "address", "landline", "company"),
    ),
    ("place", (("landline", (0, 1)), ("address", (0, 1)), ("company", (0,))), ("name", "gender")),
)
"""Contexts in which different customers agree far more often than two
random records: ``(name, triggers, conditioned)``. A pair is in the first
context one of whose ``(comparison, levels)`` triggers it meets.

* A shared mobile, e-mail or WeChat: different customers there are one
  household. Parents and children share a surname, spouses differ in sex,
  and all of them live at one address.
* A shared landline, address or company: a household or colleagues.

For the ``conditioned`` comparisons, the share of agreement (see
:data:`AGREEMENT`) among different customers is learnt per context, so
张红敏 and 张先生 calling from one mobile are not taken for one person
because a random pair rarely shares a surname or a district."""


def pair_context(levels: np.ndarray) -> np.ndarray:
    """Each pair's context: 0 none, else 1 + its index in :data:`CONTEXTS`."""
    out = np.zeros(len(levels), dtype=np.int8)
    for number in range(len(CONTEXTS), 0, -1):  # the first context wins
        hit = np.zeros(len(levels), dtype=bool)
        for comparison, at in CONTEXTS[number - 1][1]:
            hit |= np.isin(levels[:, NAMES.index(comparison)], at)
        out[hit] = number
    return out


GROUPS: dict[str, tuple[str, ...]] = {
    "identity": ("name", "handle", "gender"),
    "document": ("id_number", "birth_date"),
    "place": ("company", "address", "landline", "location", "postcode"),
    "organisation": ("org_name", "domain"),
}
"""Comparisons that describe one fact: who someone is called (name, the
handles built from it, the sex it implies), their identity document (an id
number holds the birth date), where they work or live. Colleagues and
family members agree on a whole group at once, and so do two namesakes, so
the model counts only the strongest agreement of a group (disagreements all
count; see :mod:`core.matching.model`). An organisation's name and its web
domain (philips.com) say one thing, too."""

MONOTONE: dict[str, tuple[tuple[int, ...], ...]] = {
    "name": ((0, 1, 2, 11), (0, 1, 3, 4, 9, 11), (3, 5, 11), (3, 10, 11)),
    "mobile": ((0, 1, 2, 3),),
    "email": ((0, 2, 3, 4),),
    "id_number": ((0, 1, 2),),
    "birth_date": ((0, 1, 7), (0, 2, 4, 7), (0, 3, 5, 7), (0, 6, 7)),
    "company": ((0, 1, 2),),
    "address": ((0, 1, 2),),
    "location": ((0, 1, 2, 3, 4),),
    "postcode": ((0, 1, 2, 3),),
    "org_name": ((0, 1, 2, 3, 4, 5),),
    "org_id": ((0, 1, 2),),
}
"""Chains of levels from closer to farther agreement: along each, a level
never weighs more than the one before it (closer strings never score
lower), whatever noise the estimate of a rare level holds (see
:func:`core.matching.model.bits_tables`)."""
