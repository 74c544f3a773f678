"""Comparisons: how two profiles agree, field by field, as discrete levels.

Each :class:`Comparison` turns a pair of profiles into one *level* (an
index into its ``levels``, strongest agreement first) or ``NULL`` when one
side lacks the field, which is no evidence either way. Levels, not raw
similarities, are what the Fellegi–Sunter model (:mod:`core.matching.model`) weighs,
so every level gets a weight learnt from the data and a plain reason.

All comparators are vectorised over arrays of pairs and work on integer
codes (:mod:`core.matching.coding`): equality is a comparison of integers, and
:func:`rapidfuzz.process.cpdist` computes edit distances only for the pairs
whose level depends on one. There is no Python loop per pair.

Some levels are *frequency-adjusted*: agreeing on 王伟 says less than
agreeing on 欧阳娜娜, and a switchboard or ``info@`` mailbox shared by many
says little. For those levels :func:`compare` also returns the code of the
agreed value, so the model can look up how many records share it.

Invariant (tested): swapping the two sides of a pair changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

from core.matching.coding import SPACE_OF, Coded
from core.matching.frames import pd
from core.matching.profiles import ORG_TOKENS

NULL = -1
"""The level of a pair where one side lacks the field."""


@dataclass(slots=True, eq=False)
class Pairs:
    """Both sides of many pairs: profile rows ``left[i]`` and ``right[i]``."""

    coded: Coded
    left: np.ndarray
    right: np.ndarray
    _l: dict[str, np.ndarray] = field(default_factory=dict)
    _r: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.left)

    def l(self, column: str) -> np.ndarray:  # noqa: E743
        """Codes of ``column`` on the left side."""
        if column not in self._l:
            self._l[column] = self.coded.codes[column][self.left]
        return self._l[column]

    def r(self, column: str) -> np.ndarray:
        """Codes of ``column`` on the right side."""
        if column not in self._r:
            self._r[column] = self.coded.codes[column][self.right]
        return self._r[column]

    def present(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        return self.l(column) > 0, self.r(column) > 0

    def same(self, a: str, b: str | None = None) -> np.ndarray:
        """Left ``a`` equals right ``b`` (default ``a``), both non-empty."""
        x, y = self.l(a), self.r(b or a)
        return np.asarray((x == y) & (x > 0), dtype=bool)

    def either(self, *columns: str) -> np.ndarray:
        """The two sides share a value among ``columns`` (one code space)."""
        hit = np.zeros(len(self), dtype=bool)
        for a in columns:
            for b in columns:
                hit |= self.same(a, b)
        return hit

    def distance(self, column: str, mask: np.ndarray, scorer: Callable[..., float]) -> np.ndarray:
        """``scorer`` between the two texts of ``column`` where ``mask`` (NaN elsewhere)."""
        out = np.full(len(self), np.nan)
        rows = np.flatnonzero(mask)
        if len(rows):
            texts = self.coded.values[SPACE_OF[column]]
            a = texts[self.l(column)[rows]].tolist()
            b = texts[self.r(column)[rows]].tolist()
            out[rows] = cpdist(
                a, b, scorer=scorer, workers=-1 if len(rows) > 20_000 else 1, dtype=np.float64
            )
        return out

    def distance_between(
        self, left: str, right: str, mask: np.ndarray, scorer: Callable[..., float]
    ) -> np.ndarray:
        """``scorer`` between left ``left`` and right ``right`` (one code space)
        where ``mask`` (NaN elsewhere)."""
        out = np.full(len(self), np.nan)
        rows = np.flatnonzero(mask)
        if len(rows):
            texts = self.coded.values[SPACE_OF[left]]
            a = texts[self.l(left)[rows]].tolist()
            b = texts[self.r(right)[rows]].tolist()
            out[rows] = cpdist(
                a, b, scorer=scorer, workers=-1 if len(rows) > 20_000 else 1, dtype=np.float64
            )
        return out


Compute = Callable[[Pairs], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field comparison.

    Attributes:
        name: identifier used in explanations and model parameters.
        levels: level codes, strongest agreement first; the last one is the
            plain disagreement.
        tf_levels: levels whose weight is adjusted by how many records share
            the agreed value.
        tf_columns: profile columns whose values are counted for the
            frequency adjustment (empty when ``tf_levels`` is); the agreed
            value is a code of their space.
        compute: ``compute(pairs) -> (levels, values)``; ``values`` holds the
            agreed value's code for pairs at a ``tf_levels`` level (0 elsewhere).
    """

    name: str
    levels: tuple[str, ...]
    tf_levels: tuple[int, ...]
    tf_columns: tuple[str, ...]
    compute: Compute


def _select(n: int, cases: list[tuple[np.ndarray, int]], null: np.ndarray) -> np.ndarray:
    """The level of each pair: the first matching case wins, NULL where
    ``null``; the caller ends with an all-true case for the last level."""
    out = np.full(n, NULL, dtype=np.int8)
    todo = ~null
    for mask, level in cases:
        hit = todo & mask
        out[hit] = level
        todo &= ~hit
    return out


def _none(p: Pairs) -> np.ndarray:
    return np.zeros(len(p), dtype=np.int32)


def _all(p: Pairs) -> np.ndarray:
    return np.ones(len(p), dtype=bool)


def _agreed(a_hit: np.ndarray, b_hit: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The agreed code: ``a``'s where it agrees, else ``b``'s; the smaller one
    when both do, so that the choice does not depend on the pair's order."""
    return np.where(a_hit & b_hit, np.minimum(a, b), np.where(a_hit, a, b))


def _kind_is(p: Pairs, kinds: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    values = p.coded.values["name_kind"]
    wanted = np.flatnonzero(np.isin(values, kinds))
    return np.isin(p.l("name_kind"), wanted), np.isin(p.r("name_kind"), wanted)


def _flag(p: Pairs, column: str) -> tuple[np.ndarray, np.ndarray]:
    return p.l(column) > 0, p.r(column) > 0


def _name(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    n = len(p)
    has_l, has_r = p.present("name_key")
    full_l, full_r = _flag(p, "full")
    full = full_l & full_r
    sur_l, sur_r = _kind_is(p, ("surname_only",))
    # Two surname-only forms (王先生, 王女士) agree on the surname at most;
    # two equal screen names (晴天) or single words (Coco) are a level apart.
    same = ~sur_l & ~sur_r & p.same("name")
    exact = same & full
    reading = full & p.same("name_key")
    han_l, han_r = _flag(p, "han")
    han = han_l & han_r
    undecided = full & ~same & ~reading & has_l & has_r
    edits = p.distance("name", undecided & han, Levenshtein.distance)
    one_char = undecided & han & (edits == 1) & (_shortest(p, "name") >= 2)
    latin = undecided & ~han
    parts = _parts(p, (latin | ((sur_l | sur_r) & has_l & has_r)) & ~han)
    whole = np.fmax(
        p.distance("name_key", latin & np.isnan(parts.first), JaroWinkler.normalized_similarity),
        p.distance("name", latin & np.isnan(parts.first), JaroWinkler.normalized_similarity),
    )
    close = latin & (((parts.first >= 0.92) & (parts.last >= 0.92)) | (whole >= 0.92))
    last_close = parts.last >= 0.92
    first_close = (parts.first >= 0.92) | parts.variant
    nick_init = latin & last_close & (parts.variant | parts.initial)
    similar = latin & ((parts.first >= 0.8) | parts.variant | parts.initial) & (parts.last >= 0.8)
    surname = p.same("skey") | last_close
    partial = (sur_l & (full_r | sur_r)) | (sur_r & full_l)
    pet = _pet_of(p, "l", full_r) | _pet_of(p, "r", full_l)
    other_given = latin & first_close & (parts.last < 0.8)
    cases = [(exact, 0), (reading, 1), (one_char, 2), (close, 3), (nick_init, 4), (similar, 5),
             (partial & surname, 6), (pet, 7), (same, 8), (full & surname, 9),
             (other_given, 10), (full | partial, 11)]  # fmt: skip
    # A nickname or a single word against anything else is no evidence.
    levels = _select(n, cases, ~has_l | ~has_r | ~(same | pet | full | partial))
    agreed = (levels <= 1) | (levels == 8)
    return levels, np.where(agreed, np.minimum(p.l("name_key"), p.r("name_key")), 0)


@dataclass(frozen=True, slots=True)
class _Parts:
    """Latin names part by part, in the better of the two alignments (first
    with first, or first with last: a swapped entry): Jaro-Winkler of the
    first names and of the last names (NaN where a side lacks the part),
    whether the first names are variants of one name (Bob, Robert) and
    whether one is the other's initial (J., John)."""

    first: np.ndarray
    last: np.ndarray
    variant: np.ndarray
    initial: np.ndarray


def _parts(p: Pairs, mask: np.ndarray) -> _Parts:
    jw = JaroWinkler.normalized_similarity
    f_l, f_r = p.present("first")
    l_l, l_r = p.present("last")
    ff = p.distance("first", mask & f_l & f_r, jw)
    ll = p.distance("last", mask & l_l & l_r, jw)
    fl = p.distance_between("first", "last", mask & f_l & l_r, jw)
    lf = p.distance_between("last", "first", mask & l_l & f_r, jw)
    straight = np.nan_to_num(ff) + np.nan_to_num(ll)
    swapped = (np.nan_to_num(fl) + np.nan_to_num(lf)) > straight
    # Crosswise, which part is the given name is anyone's guess: the closer
    # pair counts as the surname, so that the order of the sides cannot matter.
    first = np.where(swapped, np.fmin(fl, lf), ff)
    last = np.where(swapped, np.fmax(fl, lf), ll)
    variant = mask & ~swapped & p.same("first_canon") & ~p.same("first")
    lengths = p.coded.lengths("first")
    one_l, one_r = lengths[p.l("first")] == 1, lengths[p.r("first")] == 1
    initial = mask & ~swapped & (one_l ^ one_r) & p.same("f_init")
    return _Parts(first, last, variant, initial)


def _shortest(p: Pairs, column: str) -> np.ndarray:
    lengths = p.coded.lengths(column)
    shortest: np.ndarray = np.minimum(lengths[p.l(column)], lengths[p.r(column)])
    return shortest


def _pet_of(p: Pairs, nick: str, full_other: np.ndarray) -> np.ndarray:
    """The ``nick`` side is a pet form of the other side's name: 玲玲 for 孙秀玲
    (the doubled character ends the given name), or one Latin word that is a
    word of the other's name (Iris for Iris Li)."""
    mine, other = (p.l, p.r) if nick == "l" else (p.r, p.l)
    pet = mine("pet")
    doubled = (pet > 0) & (pet == other("given_last"))
    word = mine("word")
    single = (word > 0) & (
        (word == other("key_first")) | (word == other("key_mid")) | (word == other("key_last"))
    )
    return np.asarray(full_other & (doubled | single), dtype=bool)


def _mobile(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """The same mobile; the same number read in two countries' ways (+44 7758
    954006, and 07758 954006 taken for a Chinese landline: their last nine
    digits agree); a mobile one digit off."""
    n = len(p)
    has_l, has_r = p.present("mob_a")
    a_hit = p.same("mob_a") | p.same("mob_a", "mob_b")
    b_hit = p.same("mob_b", "mob_a") | p.same("mob_b")
    hit = a_hit | b_hit
    # one side's mobile is the other's "landline": the same subscriber digits
    crossed = (
        p.same("tel_m", "tel_a") | p.same("tel_m", "tel_b")
        | p.same("tel_a", "tel_m") | p.same("tel_b", "tel_m")
    )  # fmt: skip
    digits = ~hit & crossed & ~p.either("land_a", "land_b")
    typo = p.distance("mob_a", has_l & has_r & ~hit, Levenshtein.distance) == 1
    cases = [(hit, 0), (digits, 1), (typo, 2), (_all(p), 3)]
    levels = _select(n, cases, (~has_l | ~has_r) & ~digits)
    return levels, np.where(levels == 0, _agreed(a_hit, b_hit, p.l("mob_a"), p.l("mob_b")), 0)


def _landline(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    n = len(p)
    has_l, has_r = p.present("land_a")
    a_hit = p.same("land_a") | p.same("land_a", "land_b")
    b_hit = p.same("land_b", "land_a") | p.same("land_b")
    hit = a_hit | b_hit
    ext_l, ext_r = p.l("land_ext"), p.r("land_ext")
    other_ext = (ext_l > 0) & (ext_r > 0) & (ext_l != ext_r)
    levels = _select(n, [(hit & ~other_ext, 0), (hit, 1), (_all(p), 2)], ~has_l | ~has_r)
    shared = _agreed(a_hit, b_hit, p.l("land_a"), p.l("land_b"))
    return levels, np.where(levels <= 1, shared, 0)


def _email(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    n = len(p)
    has_l, has_r = p.present("email")
    same = p.same("email")
    role_l, role_r = _flag(p, "email_role")
    role = role_l | role_r
    undecided = has_l & has_r & ~same & ~role
    # At a free mail service, mailbox names that differ only in their
    # separators (james_perez@, james.perez@, jamesperez@) are one handle in
    # two styles, as namesakes write it: the handle comparison judges that,
    # not the e-mail. At a firm's own domain they stay a typo.
    free = (p.l("email_dom") == 0) & (p.r("email_dom") == 0)
    restyled = undecided & p.same("eh") & free
    undecided &= ~restyled
    edits = p.distance("email", undecided, OSA.distance)
    long = _shortest(p, "email") >= 8  # two short addresses a letter apart are two people
    cases = [(same & ~role, 0), (same, 1), (undecided & (edits == 1), 2),
             (undecided & (edits == 2) & long, 3), (_all(p), 4)]  # fmt: skip
    levels = _select(n, cases, ~has_l | ~has_r | restyled)
    return levels, np.where(levels <= 1, p.l("email"), 0)


def _handle(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """Handles (WeChat ids, e-mail local parts) against each other and
    against the other record's name: ``shaox`` at two domains, WeChat
    ``zhangmeijing_5276`` and ``zhangmeijing5276@qq.com``, WeChat
    ``huangjuan_9858`` and the name 黄娟. Identical e-mails and WeChat ids
    are their own comparisons' evidence, not this one's."""
    n = len(p)
    other_email = p.l("email") != p.r("email")
    same = (p.same("eh") & other_email) | p.same("wh", "eh") | p.same("eh", "wh")
    spelled_r, named_r = _spelling(p, "l")  # a handle on the left spells the right's name
    spelled_l, named_l = _spelling(p, "r")
    # A handle of digits (a QQ number) can match a handle but spells no name.
    letters_l = (p.l("wl") > 0) | (p.l("el") > 0)
    letters_r = (p.r("wl") > 0) | (p.r("el") > 0)
    handles = ((p.l("wh") > 0) | (p.l("eh") > 0)) & ((p.r("wh") > 0) | (p.r("eh") > 0))
    comparable = handles | (letters_l & (p.r("spell") > 0)) | (letters_r & (p.l("spell") > 0))
    # Handles built from one name say nothing more once the names agree.
    comparable &= ~p.same("name_key")
    levels = _select(n, [(same, 0), (named_r | named_l, 1), (_all(p), 2)], ~comparable)
    # How common the spelling is, among names and handles alike (Angela_chen
    # may be any of the Angela Chens who write their name in Chinese).
    spelled = _agreed(named_r, named_l, spelled_r, spelled_l)
    return levels, np.where(levels == 1, spelled, 0)


def _spelling(p: Pairs, handle_side: str) -> tuple[np.ndarray, np.ndarray]:
    """The code of the handle on ``handle_side`` that spells the other side's
    name (0 if none), and whether there is one."""
    mine, other = (p.l, p.r) if handle_side == "l" else (p.r, p.l)
    code = np.zeros(len(p), dtype=np.int32)
    for handle in ("el", "wl"):
        h = mine(handle)
        hit = (h > 0) & ((h == other("spell")) | (h == other("spell_rev")))
        code = np.where(hit, h, code)
    return code, code > 0


def _gender(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """Same or other sex, as stated (honorific, id number) or as the given
    names suggest (see :mod:`core.standardize.gender`)."""
    n = len(p)
    has_l, has_r = p.present("gender")
    stated_code = int(np.searchsorted(p.coded.values["gender_src"], "s"))
    stated = (p.l("gender_src") == stated_code) & (p.r("gender_src") == stated_code)
    same = p.l("gender") == p.r("gender")
    return _select(n, [(same, 0), (stated, 1), (_all(p), 2)], ~has_l | ~has_r), _none(p)


def _same_or_different(column: str) -> Compute:
    def compute(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
        has_l, has_r = p.present(column)
        cases = [(p.same(column), 0), (_all(p), 1)]
        return _select(len(p), cases, ~has_l | ~has_r), _none(p)

    return compute


def _exact_or_typo(column: str) -> Compute:
    def compute(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
        has_l, has_r = p.present(column)
        same = p.same(column)
        typo = p.distance(column, has_l & has_r & ~same, Levenshtein.distance) == 1
        cases = [(same, 0), (typo, 1), (_all(p), 2)]
        return _select(len(p), cases, ~has_l | ~has_r), _none(p)

    return compute


def _birth_date(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """Dates as people mistype them: day and month swapped (US and European
    order), one digit off, the same month of the same year, two digits off,
    within a year of each other, two of the three parts the same."""
    has_l, has_r = p.present("birth_date")
    same = p.same("birth_date")
    year, month, day = p.same("b_year"), p.same("b_month"), p.same("b_day")
    swapped = ~same & year & p.same("b_month", "b_day") & p.same("b_day", "b_month")
    undecided = has_l & has_r & ~same & ~swapped
    edits = p.distance("birth_date", undecided, Levenshtein.distance)
    days = _days(p.coded)
    with np.errstate(invalid="ignore"):
        apart = np.abs(days[p.l("birth_date")] - days[p.r("birth_date")])
    two_parts = year.astype(int) + month + day == 2
    cases = [(same, 0), (swapped, 1), (undecided & (edits == 1), 2), (year & month, 3),
             (undecided & (edits == 2), 4), (undecided & (apart <= 366), 5), (two_parts, 6),
             (_all(p), 7)]  # fmt: skip
    return _select(len(p), cases, ~has_l | ~has_r), _none(p)


def _days(coded: Coded) -> np.ndarray:
    """Each birth-date code as a day number (NaN where it is not a full date:
    two partial dates are not "within a year"), so that dates compare by
    how far apart they are."""
    values = coded.values["birth_date"]
    found = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="coerce")
    days: np.ndarray = (found - pd.Timestamp("1900-01-01")).dt.days.to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return days


def _company(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    has_l, has_r = p.present("company_key")
    same = p.same("company_key")
    close = p.distance("company_key", has_l & has_r & ~same, fuzz.ratio) >= 80
    levels = _select(len(p), [(same, 0), (close, 1), (_all(p), 2)], ~has_l | ~has_r)
    return levels, np.where(levels == 0, p.l("company_key"), 0)


def _address(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    has_l, has_r = p.present("address_key")
    elsewhere = _differ(p, "district") | _differ(p, "city")
    same = p.same("address_key") & ~elsewhere
    undecided = has_l & has_r & ~same & ~elsewhere
    close = (p.distance("address_key", undecided, fuzz.ratio) >= 85) | (
        p.distance("address_key", undecided, fuzz.token_set_ratio) >= 90
    )
    levels = _select(len(p), [(same, 0), (close, 1), (_all(p), 2)], ~has_l | ~has_r)
    return levels, np.where(levels == 0, p.l("address_key"), 0)


def _differ(p: Pairs, column: str) -> np.ndarray:
    x, y = p.l(column), p.r(column)
    return np.asarray((x > 0) & (y > 0) & (x != y), dtype=bool)


def _location(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """District, city (東莞市 = 东莞 = Dongguan: one reading) or a city a typo
    apart (Lonon), province."""
    city_l, city_r = p.present("city")
    prov_l, prov_r = p.present("province")
    city = p.same("city") | p.same("city_key")
    district = p.same("district") & city
    key_l, key_r = p.present("city_key")
    undecided = key_l & key_r & ~city
    long = _shortest(p, "city_key") >= 5
    near = (p.distance("city_key", undecided, OSA.distance) <= 1) & (
        _shortest(p, "city_key") >= 4
    ) | (p.distance("city_key", undecided & long, JaroWinkler.normalized_similarity) >= 0.9)
    province = p.same("province") & ~(city_l & city_r)
    cases = [(district, 0), (city, 1), (near, 2), (province, 3), (_all(p), 4)]
    return _select(len(p), cases, ~(city_l | prov_l) | ~(city_r | prov_r)), _none(p)


def _postcode(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    has_l, has_r = p.present("postcode")
    same = p.same("postcode")
    undecided = has_l & has_r & ~same
    one = undecided & (p.distance("postcode", undecided, OSA.distance) == 1)
    cases = [(same, 0), (one, 1), (p.same("pc_prefix"), 2), (_all(p), 3)]
    return _select(len(p), cases, ~has_l | ~has_r), _none(p)


def _org_name(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """Organisation names: the same normalised name, the same words in any
    order, a name a typo apart, or most / some of the words, each word
    weighed by how rare it is (PHILIPS says more than ELECTRONICS). The
    agreed value of a whole name (exact, same words), for the frequency
    adjustment, is its rarest word; the partial levels weigh rarity already."""
    n = len(p)
    has_l, has_r = p.present("org_key")
    exact = p.same("org_key")
    words = p.same("org_sorted") & ~exact
    undecided = has_l & has_r & ~exact & ~words
    close = p.distance("org_key", undecided, JaroWinkler.normalized_similarity) >= 0.92
    overlap, rarest = _word_overlap(p, has_l & has_r)
    cases = [(exact, 0), (words, 1), (close, 2), (undecided & (overlap >= 0.75), 3),
             (undecided & (overlap >= 0.45), 4), (_all(p), 5)]  # fmt: skip
    levels = _select(n, cases, ~has_l | ~has_r)
    return levels, np.where(levels <= 1, rarest, 0)


def _word_overlap(p: Pairs, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Dice overlap of two organisation names' words, each word
    weighing ``1 / (1 + log2(records holding it))``, and the code of the
    rarest word the two share (0 if none)."""
    overlap = np.zeros(len(p))
    rarest = np.zeros(len(p), dtype=np.int32)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return overlap, rarest
    left = np.stack([p.l(c)[rows] for c in ORG_TOKENS], axis=1).astype(np.int64)
    right = np.stack([p.r(c)[rows] for c in ORG_TOKENS], axis=1).astype(np.int64)
    held = p.coded.counts(ORG_TOKENS)
    weight = 1.0 / (1.0 + np.log2(np.maximum(held, 1.0)))
    weight[0] = 0.0
    shared = ((left[:, :, None] == right[:, None, :]) & (left[:, :, None] > 0)).any(axis=2)
    w_left, w_right = weight[left], weight[right]
    total = w_left.sum(axis=1) + w_right.sum(axis=1)
    both = (w_left * shared).sum(axis=1)
    overlap[rows] = np.where(total > 0, 2 * both / np.maximum(total, 1e-12), 0.0)
    best = np.argmax(np.where(shared, w_left, -1.0), axis=1)
    pick = left[np.arange(len(rows)), best]
    rarest[rows] = np.where(shared.any(axis=1), pick, 0)
    return overlap, rarest


def _org_id(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    has_l, has_r = p.present("org_id")
    same = p.same("org_id")
    one = (p.distance("org_id", has_l & has_r & ~same, OSA.distance) == 1) & (
        _shortest(p, "org_id") >= 8
    )
    return _select(len(p), [(same, 0), (one, 1), (_all(p), 2)], ~has_l | ~has_r), _none(p)


def _domain(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    has_l, has_r = p.present("domain")
    same = p.same("domain")
    levels = _select(len(p), [(same, 0), (_all(p), 1)], ~has_l | ~has_r)
    return levels, np.where(levels == 0, p.l("domain"), 0)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        (
            "exact",
            "same_reading",
            "one_char",
            "close",
            "nickname_or_initial",
            "similar",
            "surname_only",
            "pet_name",
            "same_nickname",
            "same_surname",
            "same_given",
            "different",
        ),
        (0, 1, 8),
        ("name_key",),
        _name,
    ),  # fmt: skip
    Comparison(
        "mobile",
        ("same", "same_digits", "one_digit", "different"),
        (0,),
        ("mob_a", "mob_b"),
        _mobile,
    ),
    Comparison(
        "landline",
        ("same", "other_extension", "different"),
        (0, 1),
        ("land_a", "land_b"),
        _landline,
    ),  # fmt: skip
    Comparison(
        "email",
        ("same", "shared_mailbox", "one_typo", "two_typos", "different"),
        (0, 1),
        ("email",),
        _email,
    ),  # fmt: skip
    Comparison(
        "handle",
        ("same_handle", "spells_name", "different"),
        (1,),
        ("spell", "spell_rev", "wl", "el"),
        _handle,
    ),  # fmt: skip
    Comparison("gender", ("same", "other_stated", "other_likely"), (), (), _gender),
    Comparison("wechat", ("same", "different"), (), (), _same_or_different("wechat")),
    Comparison("id_number", ("same", "one_char", "different"), (), (), _exact_or_typo("id_number")),
    Comparison(
        "birth_date",
        (
            "same",
            "day_month_swapped",
            "one_digit",
            "same_month",
            "two_digits",
            "within_a_year",
            "two_parts",
            "different",
        ),
        (),
        (),
        _birth_date,
    ),  # fmt: skip
    Comparison("company", ("same", "close", "different"), (0,), ("company_key",), _company),
    Comparison("address", ("same", "close", "different"), (0,), ("address_key",), _address),
    Comparison(
        "location",
        ("same_district", "same_city", "city_typo", "same_province", "different"),
        (),
        (),
        _location,
    ),  # fmt: skip
    Comparison("postcode", ("same", "one_char", "same_area", "different"), (), (), _postcode),
    Comparison(
        "org_name",
        ("exact", "same_words", "close", "most_words", "some_words", "different"),
        (0, 1),
        ORG_TOKENS,
        _org_name,
    ),  # fmt: skip
    Comparison("domain", ("same", "different"), (0,), ("domain",), _domain),
    Comparison("org_id", ("same", "one_char", "different"), (), (), _org_id),
)
"""Every comparison, in explanation order."""

NAMES: tuple[str, ...] = tuple(c.name for c in COMPARISONS)


CHUNK = 1_000_000
"""Pairs compared at a time: memory stays flat however many pairs there are."""


def compare(coded: Coded, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Compare pairs of profiles.

    Args:
        coded: the coded profiles (see :class:`core.matching.coding.Coded`).
        left, right: row positions of each pair's two sides.

    Returns:
        ``(levels, values)``: int8 ``[pairs, comparisons]`` levels (``NULL``
        where a side lacks the field) and int32 ``[pairs, comparisons]``
        codes of the agreed values at frequency-adjusted levels (0
        elsewhere). Swapping ``left`` and ``right`` gives the same result.
    """
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    n = len(left)
    levels = np.empty((n, len(COMPARISONS)), dtype=np.int8)
    values = np.zeros((n, len(COMPARISONS)), dtype=np.int32)
    for start in range(0, n, CHUNK):
        part = slice(start, start + CHUNK)
        pairs = Pairs(coded, left[part], right[part])
        for k, comp in enumerate(COMPARISONS):
            level, value = comp.compute(pairs)
            levels[part, k] = level
            values[part, k] = np.where(level == NULL, 0, value)  # no value without a level
    return levels, values
