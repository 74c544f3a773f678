"""Comparisons: how two profiles agree, field by field, as discrete levels.

Each :class:`Comparison` turns a pair of profiles into one *level* (an
index into its ``levels``, strongest agreement first) or ``NULL`` when one
side lacks the field, which is no evidence either way. Levels, not raw
similarities, are what the Fellegi–Sunter model (:mod:`core.model`) weighs,
so every level gets a weight learnt from the data and a plain reason.

All comparators are vectorised over arrays of pairs: numpy element-wise
operations and :func:`rapidfuzz.process.cpdist`, never a Python loop per
pair.

Some levels are *frequency-adjusted*: agreeing on 王伟 says less than
agreeing on 欧阳娜娜, and a switchboard or ``info@`` mailbox shared by many
says little. For those levels :func:`compare` also returns the agreed value,
so the model can look up how many records share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

NULL = -1
"""The level of a pair where one side lacks the field."""

Side = dict[str, np.ndarray]
"""Profile columns of one side of many pairs, each an object array of str."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field comparison.

    Attributes:
        name: identifier used in explanations and model parameters.
        levels: level codes, strongest agreement first; the last one is the
            plain disagreement.
        tf_levels: levels whose weight is adjusted by how many records share
            the agreed value.
        columns: profile columns the comparator reads.
        tf_columns: profile columns whose values are counted for the
            frequency adjustment (empty when ``tf_levels`` is).
        compute: ``compute(left, right) -> (levels, values)``; ``values`` holds
            the agreed value for pairs at a ``tf_levels`` level ('' elsewhere).
    """

    name: str
    levels: tuple[str, ...]
    tf_levels: tuple[int, ...]
    columns: tuple[str, ...]
    tf_columns: tuple[str, ...]
    compute: Callable[[Side, Side], tuple[np.ndarray, np.ndarray]]


def _select(n: int, cases: list[tuple[np.ndarray, int]], null: np.ndarray) -> np.ndarray:
    """The level of each pair: the first matching case wins, NULL where
    ``null``; pairs matching no case get the last level (set by the caller
    as the final case with an all-true mask)."""
    out = np.full(n, NULL, dtype=np.int8)
    todo = ~null
    for mask, level in cases:
        hit = todo & mask
        out[hit] = level
        todo &= ~hit
    return out


def _present(a: np.ndarray) -> np.ndarray:
    return np.asarray(a != "", dtype=bool)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a == b) & (a != ""), dtype=bool)


def _differ(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Both sides known and different."""
    return np.asarray((a != "") & (b != "") & (a != b), dtype=bool)


def _similarity(a: np.ndarray, b: np.ndarray, scorer: Callable[..., float]) -> np.ndarray:
    if len(a) == 0:
        return np.zeros(0)
    return np.asarray(cpdist(list(a), list(b), scorer=scorer, workers=-1), dtype=np.float64)


def _lengths(a: np.ndarray) -> np.ndarray:
    return np.char.str_len(a.astype(str)) if len(a) else np.zeros(0, dtype=np.int64)


def _shared(a_hit: np.ndarray, b_hit: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The agreed number; the smaller one when both of a side's numbers agree,
    so that the choice does not depend on which record is on the left."""
    smaller = np.where(a < b, a, b) if len(a) else a
    return np.where(a_hit & b_hit, smaller, np.where(a_hit, a, b))


def _values(mask: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.where(mask, value, "").astype(object)


def _name(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["name"])
    null = ~_present(l["name_key"]) | ~_present(r["name_key"])
    full_l, full_r = _full_name(l), _full_name(r)
    full = full_l & full_r
    sur_l, sur_r = l["name_kind"] == "surname_only", r["name_kind"] == "surname_only"
    # Two surname-only forms (王先生, 王女士) agree on the surname at most;
    # two equal screen names (晴天) or single words (Coco) are a level apart.
    same = ~sur_l & ~sur_r & _same(l["name"], r["name"])
    exact = same & full
    reading = full & _same(l["name_key"], r["name_key"])
    han = (l["han"] == "1") & (r["han"] == "1")
    edits = _similarity(l["name"], r["name"], Levenshtein.distance)
    shortest = np.minimum(_lengths(l["name"]), _lengths(r["name"]))
    one_char = full & han & (edits == 1) & (shortest >= 2)
    jw = np.maximum(
        _similarity(l["name_key"], r["name_key"], JaroWinkler.normalized_similarity),
        _similarity(l["name"], r["name"], JaroWinkler.normalized_similarity),
    )
    close = full & ~han & (jw >= 0.92)
    surname = _same(l["skey"], r["skey"])
    partial = (sur_l & (full_r | sur_r)) | (sur_r & full_l)
    pet = _pet_of(l, r, full_r) | _pet_of(r, l, full_l)
    cases = [(exact, 0), (reading, 1), (one_char, 2), (close, 3), (partial & surname, 4),
             (pet, 5), (same, 6), (full & surname, 7), (full | partial, 8)]  # fmt: skip
    # A nickname or a single word against anything else is no evidence.
    levels = _select(n, cases, null | ~(same | pet | full | partial))
    smaller = (
        np.where(l["name_key"] < r["name_key"], l["name_key"], r["name_key"])
        if n
        else l["name_key"]
    )
    return levels, _values((levels <= 1) | (levels == 6), smaller)


def _full_name(side: Side) -> np.ndarray:
    """A whole name: Chinese, or Latin/other with at least two words."""
    kind = side["name_kind"]
    han = (kind == "chinese") | (kind == "mixed")
    words = ((kind == "latin") | (kind == "other")) & _has_space(side["name_key"])
    return np.asarray(han | words, dtype=bool)


def _has_space(a: np.ndarray) -> np.ndarray:
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray(pd.Series(a, dtype=object).str.contains(" ", regex=False), dtype=bool)


def _pet_of(nick: Side, other: Side, full_other: np.ndarray) -> np.ndarray:
    """``nick`` is a pet form of ``other``'s name: 玲玲 for 孙秀玲 (the
    doubled character ends the given name), or one Latin word that is a word
    of the other's name (Iris for Iris Li)."""
    if len(nick["name"]) == 0:
        return np.zeros(0, dtype=bool)
    pet = pd.Series(nick["given"], dtype=object)
    last_char = pd.Series(other["given"], dtype=object).str[-1:]
    doubled = (nick["name_kind"] == "nickname") & (pet.str.len() == 1).to_numpy(bool)
    ends = (last_char == pet).to_numpy(bool)
    kind = nick["name_kind"]
    single = ((kind == "latin") | (kind == "other")) & ~_has_space(nick["name_key"])
    words = pd.Series(other["name_key"], dtype=object).str.split(" ")
    word = np.zeros(len(pet), dtype=bool)
    for at in (0, 1, -1):  # keys of whole names have two or three words
        word |= (words.str[at] == pd.Series(nick["name_key"], dtype=object)).to_numpy(bool)
    return np.asarray(full_other & ((doubled & ends) | (single & word)), dtype=bool)


def _mobile(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["mob_a"])
    null = ~_present(l["mob_a"]) | ~_present(r["mob_a"])
    a_hit = _same(l["mob_a"], r["mob_a"]) | _same(l["mob_a"], r["mob_b"])
    b_hit = _same(l["mob_b"], r["mob_a"]) | _same(l["mob_b"], r["mob_b"])
    typo = _similarity(l["mob_a"], r["mob_a"], Levenshtein.distance) == 1
    levels = _select(n, [(a_hit | b_hit, 0), (typo, 1), (np.ones(n, bool), 2)], null)
    shared = _shared(a_hit, b_hit, l["mob_a"], l["mob_b"])
    return levels, _values(levels == 0, shared)


def _landline(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["land_a"])
    null = ~_present(l["land_a"]) | ~_present(r["land_a"])
    a_hit = _same(l["land_a"], r["land_a"]) | _same(l["land_a"], r["land_b"])
    b_hit = _same(l["land_b"], r["land_a"]) | _same(l["land_b"], r["land_b"])
    hit = a_hit | b_hit
    other_ext = _present(l["land_ext"]) & _present(r["land_ext"]) & (l["land_ext"] != r["land_ext"])
    cases = [(hit & ~other_ext, 0), (hit, 1), (np.ones(n, bool), 2)]
    levels = _select(n, cases, null)
    shared = _shared(a_hit, b_hit, l["land_a"], l["land_b"])
    return levels, _values(levels <= 1, shared)


def _email(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["email"])
    null = ~_present(l["email"]) | ~_present(r["email"])
    same = _same(l["email"], r["email"])
    role = (l["email_role"] == "1") | (r["email_role"] == "1")
    typo = _similarity(l["email"], r["email"], Levenshtein.distance) <= 1
    cases = [(same & ~role, 0), (same, 1), (typo & ~role, 2), (np.ones(n, bool), 3)]
    levels = _select(n, cases, null)
    return levels, _values(levels <= 1, l["email"])


def _handle(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    """Handles (WeChat ids, e-mail local parts) against each other and
    against the other record's name: ``shaox`` at two domains, WeChat
    ``zhangmeijing_5276`` and ``zhangmeijing5276@qq.com``, WeChat
    ``huangjuan_9858`` and the name 黄娟. Identical e-mails and WeChat ids
    are their own comparisons' evidence, not this one's."""
    n = len(l["wh"])
    same = (
        (_same(l["eh"], r["eh"]) & (l["email"] != r["email"]))
        | _same(l["wh"], r["eh"])
        | (_same(l["eh"], r["wh"]))
    )
    named_r = _named(l, r)
    named_l = _named(r, l)
    # A handle of digits (a QQ number) can match a handle but spells no name.
    letters_l = _present(l["wl"]) | _present(l["el"])
    letters_r = _present(r["wl"]) | _present(r["el"])
    handles = (_present(l["wh"]) | _present(l["eh"])) & (_present(r["wh"]) | _present(r["eh"]))
    comparable = handles | (letters_l & _present(r["spell"])) | (letters_r & _present(l["spell"]))
    # Handles built from one name say nothing more once the names agree.
    comparable &= ~_same(l["name_key"], r["name_key"])
    levels = _select(n, [(same, 0), (named_r | named_l, 1), (np.ones(n, bool), 2)], ~comparable)
    # How common the spelling is, among names and handles alike (Angela_chen
    # may be any of the Angela Chens who write their name in Chinese).
    spelled = _shared(named_r, named_l, _spelling(l, r), _spelling(r, l))
    return levels, _values(levels == 1, spelled)


def _spelling(h: Side, who: Side) -> np.ndarray:
    """The handle letters of ``h`` that spell ``who``'s name ('' if none)."""
    out = np.full(len(h["wl"]), "", dtype=object)
    for handle in (h["el"], h["wl"]):
        hit = _same(handle, who["spell"]) | _same(handle, who["spell_rev"])
        out = np.where(hit, handle, out)
    return out


def _named(h: Side, who: Side) -> np.ndarray:
    """A handle of ``h`` spells ``who``'s whole name (either order)."""
    hit = np.zeros(len(h["wl"]), dtype=bool)
    for handle in (h["wl"], h["el"]):
        hit |= _same(handle, who["spell"]) | _same(handle, who["spell_rev"])
    return hit


def _exact_or_typo(column: str) -> Callable[[Side, Side], tuple[np.ndarray, np.ndarray]]:
    def compute(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
        n = len(l[column])
        null = ~_present(l[column]) | ~_present(r[column])
        typo = _similarity(l[column], r[column], Levenshtein.distance) == 1
        cases = [(_same(l[column], r[column]), 0), (typo, 1), (np.ones(n, bool), 2)]
        return _select(n, cases, null), np.full(n, "", dtype=object)

    return compute


def _wechat(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["wechat"])
    null = ~_present(l["wechat"]) | ~_present(r["wechat"])
    cases = [(_same(l["wechat"], r["wechat"]), 0), (np.ones(n, bool), 1)]
    return _select(n, cases, null), np.full(n, "", dtype=object)


def _gender(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    """Same or other sex, as stated (honorific, id number) or as the given
    names suggest (see :mod:`core.standardize.gender`)."""
    n = len(l["gender"])
    null = ~_present(l["gender"]) | ~_present(r["gender"])
    stated = (l["gender_src"] == "s") & (r["gender_src"] == "s")
    same = l["gender"] == r["gender"]
    cases = [(same, 0), (stated, 1), (np.ones(n, bool), 2)]
    return _select(n, cases, null), np.full(n, "", dtype=object)


def _birth_date(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    a, b = l["birth_date"], r["birth_date"]
    n = len(a)
    null = ~_present(a) | ~_present(b)
    sa, sb = pd.Series(a, dtype=object), pd.Series(b, dtype=object)
    parts = [(sa.str[i:j] == sb.str[i:j]).to_numpy(bool) for i, j in ((0, 4), (5, 7), (8, 10))]
    full = ((sa.str.len() == 10) & (sb.str.len() == 10)).to_numpy(bool)
    swapped = (
        parts[0]
        & (sa.str[5:7] == sb.str[8:10]).to_numpy(bool)
        & (sa.str[8:10] == sb.str[5:7]).to_numpy(bool)
    )
    one_part = full & ((parts[0].astype(int) + parts[1] + parts[2] == 2) | swapped)
    cases = [(_same(a, b), 0), (one_part, 1), (np.ones(n, bool), 2)]
    return _select(n, cases, null), np.full(n, "", dtype=object)


def _company(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    a, b = l["company_key"], r["company_key"]
    n = len(a)
    null = ~_present(a) | ~_present(b)
    close = _similarity(a, b, fuzz.ratio) >= 80
    levels = _select(n, [(_same(a, b), 0), (close, 1), (np.ones(n, bool), 2)], null)
    return levels, _values(levels == 0, a)


def _address(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    a, b = l["address_key"], r["address_key"]
    n = len(a)
    null = ~_present(a) | ~_present(b)
    elsewhere = _differ(l["district"], r["district"]) | _differ(l["city"], r["city"])
    close = _similarity(a, b, fuzz.ratio) >= 85
    cases = [(_same(a, b) & ~elsewhere, 0), (close & ~elsewhere, 1), (np.ones(n, bool), 2)]
    levels = _select(n, cases, null)
    return levels, _values(levels == 0, a)


def _location(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["city"])
    null = ~(_present(l["city"]) | _present(l["province"])) | ~(
        _present(r["city"]) | _present(r["province"])
    )
    district = _same(l["district"], r["district"]) & _same(l["city"], r["city"])
    city = _same(l["city"], r["city"])
    province = _same(l["province"], r["province"]) & ~(_present(l["city"]) & _present(r["city"]))
    cases = [(district, 0), (city, 1), (province, 2), (np.ones(n, bool), 3)]
    return _select(n, cases, null), np.full(n, "", dtype=object)


def _postcode(l: Side, r: Side) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    n = len(l["postcode"])
    null = ~_present(l["postcode"]) | ~_present(r["postcode"])
    cases = [(_same(l["postcode"], r["postcode"]), 0), (np.ones(n, bool), 1)]
    return _select(n, cases, null), np.full(n, "", dtype=object)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        (
            "exact",
            "same_reading",
            "one_char",
            "close",
            "surname_only",
            "pet_name",
            "same_nickname",
            "same_surname",
            "different",
        ),
        (0, 1, 6),
        ("name", "name_key", "name_kind", "skey", "han", "given"),
        ("name_key",),
        _name,
    ),  # fmt: skip
    Comparison(
        "mobile",
        ("same", "one_digit", "different"),
        (0,),
        ("mob_a", "mob_b"),
        ("mob_a", "mob_b"),
        _mobile,
    ),
    Comparison(
        "landline",
        ("same", "other_extension", "different"),
        (0, 1),
        ("land_a", "land_b", "land_ext"),
        ("land_a", "land_b"),
        _landline,
    ),  # fmt: skip
    Comparison(
        "email",
        ("same", "shared_mailbox", "typo", "different"),
        (0, 1),
        ("email", "email_role"),
        ("email",),
        _email,
    ),  # fmt: skip
    Comparison(
        "handle",
        ("same_handle", "spells_name", "different"),
        (1,),
        ("wh", "eh", "wl", "el", "email", "spell", "spell_rev", "name_key"),
        ("spell", "spell_rev", "wl", "el"),
        _handle,
    ),  # fmt: skip
    Comparison(
        "gender",
        ("same", "other_stated", "other_likely"),
        (),
        ("gender", "gender_src"),
        (),
        _gender,
    ),
    Comparison("wechat", ("same", "different"), (), ("wechat",), (), _wechat),
    Comparison(
        "id_number",
        ("same", "one_char", "different"),
        (),
        ("id_number",),
        (),
        _exact_or_typo("id_number"),
    ),  # fmt: skip
    Comparison(
        "birth_date", ("same", "one_part", "different"), (), ("birth_date",), (), _birth_date
    ),
    Comparison(
        "company",
        ("same", "close", "different"),
        (0,),
        ("company_key",),
        ("company_key",),
        _company,
    ),
    Comparison(
        "address",
        ("same", "close", "different"),
        (0,),
        ("address_key", "district", "city"),
        ("address_key",),
        _address,
    ),  # fmt: skip
    Comparison(
        "location",
        ("same_district", "same_city", "same_province", "different"),
        (),
        ("district", "city", "province"),
        (),
        _location,
    ),  # fmt: skip
    Comparison("postcode", ("same", "different"), (), ("postcode",), (), _postcode),
)
"""Every comparison, in explanation order."""


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
}
"""Levels that mean "both records carry the same value of these columns"
(records whose ``(column, value)`` is the third item are left out: two
surname-only names, two shared mailboxes land elsewhere).
Every pair at such a level can be counted from value frequencies alone, so
the model learns how often *different* customers agree there from exact
counts (see :mod:`core.model`), not from a random sample that also holds
duplicates."""


ANCHORS: dict[str, tuple[int, ...]] = {
    "mobile": (0,),
    "landline": (0,),
    "email": (0, 1, 2),
    "handle": (0, 1),
    "wechat": (0,),
    "id_number": (0, 1),
    "birth_date": (0,),
    "company": (0,),
    "address": (0, 1),
}
"""Agreements other than on the name. The model is trained on candidate
pairs that show at least one: pairs that share nothing but a name (two 王伟
in Beijing, in their thousands) are exactly the ones EM cannot tell apart,
and their sheer number would teach it that duplicates often differ in
mobile and e-mail (see :mod:`core.training`)."""


def anchored(levels: np.ndarray) -> np.ndarray:
    """Pairs that agree on something besides the name (see :data:`ANCHORS`)."""
    names = [c.name for c in COMPARISONS]
    hit = np.zeros(len(levels), dtype=bool)
    for comparison, at in ANCHORS.items():
        hit |= np.isin(levels[:, names.index(comparison)], at)
    return hit


AGREEMENT: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "name": ((0, 1, 2, 3, 4, 7), (8,)),
    "gender": ((0,), (1, 2)),
    "location": ((0, 1, 2), (3,)),
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
    names = [c.name for c in COMPARISONS]
    out = np.zeros(len(levels), dtype=np.int8)
    for number in range(len(CONTEXTS), 0, -1):  # the first context wins
        hit = np.zeros(len(levels), dtype=bool)
        for comparison, at in CONTEXTS[number - 1][1]:
            hit |= np.isin(levels[:, names.index(comparison)], at)
        out[hit] = number
    return out


GROUPS: dict[str, tuple[str, ...]] = {
    "identity": ("name", "handle", "gender"),
    "document": ("id_number", "birth_date"),
    "place": ("company", "address", "landline", "location", "postcode"),
}
"""Comparisons that describe one fact: who someone is called (name, the
handles built from it, the sex it implies), their identity document (an id
number holds the birth date), where they work or live. Colleagues and
family members agree on a whole group at once, and so do two namesakes, so
the model counts only the strongest agreement of a group (disagreements all
count; see :mod:`core.model`)."""


def compare(
    profiles: pd.DataFrame, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Compare pairs of profiles.

    Args:
        profiles: profile frame (see :mod:`core.profiles`).
        left, right: row positions in ``profiles`` of each pair's two sides.

    Returns:
        ``(levels, values)``: int8 ``[pairs, comparisons]`` levels (``NULL``
        where a side lacks the field) and object ``[pairs, comparisons]``
        agreed values for frequency-adjusted levels ('' elsewhere). Swapping
        ``left`` and ``right`` gives the same levels.
    """
    n = len(left)
    levels = np.empty((n, len(COMPARISONS)), dtype=np.int8)
    values = np.empty((n, len(COMPARISONS)), dtype=object)
    needed = sorted({c for comp in COMPARISONS for c in comp.columns})
    cols = {c: profiles[c].to_numpy(object) for c in needed}
    l_side = {c: v[left] for c, v in cols.items()}
    r_side = {c: v[right] for c, v in cols.items()}
    for k, comp in enumerate(COMPARISONS):
        levels[:, k], values[:, k] = comp.compute(l_side, r_side)
    return levels, values
