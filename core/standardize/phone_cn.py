"""Fast paths for the two shapes most phone cells have: a plain CN mobile
and a CN landline with its area code.

phonenumbers.parse costs tens of microseconds; matching the same metadata
patterns directly costs a few. Each function answers only when the result
is provably the one phonenumbers gives (None otherwise, and the caller
parses); tests compare both on many generated numbers.
"""

from __future__ import annotations

import re

from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

# --- CN mobile fast path ---------------------------------------------------
# Most cells are plain CN mobiles. phonenumbers.parse costs tens of
# microseconds; matching the same metadata patterns ourselves costs one. The
# checks below replicate phonenumbers' number_type order (general desc, then
# the special types that win over mobile), so the answer is identical; a test
# compares both on random mobiles.
_CN_META = PhoneMetadata.metadata_for_region("CN")
assert _CN_META is not None


def _desc_matcher(desc: PhoneNumberDesc | None, length: int) -> re.Pattern[str] | None:
    if desc is None or desc.national_number_pattern is None:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    return re.compile(desc.national_number_pattern)


_CN_GENERAL = _desc_matcher(_CN_META.general_desc, 11)
_CN_MOBILE = _desc_matcher(_CN_META.mobile, 11)
_CN_BEFORE_MOBILE = [
    m
    for m in (
        _desc_matcher(getattr(_CN_META, name), 11)
        for name in ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number")
        + ("pager", "uan", "voicemail")
    )
    if m is not None
]
_FAST_SEPARATORS = re.compile(r"[ \-.()]")
_FAST_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")


def cn_mobile_nsn(text: str) -> str | None:
    """The 11-digit national number if ``text`` is one plain CN mobile."""
    match = _FAST_MOBILE.fullmatch(_FAST_SEPARATORS.sub("", text))
    if match is None or _CN_GENERAL is None or _CN_MOBILE is None:
        return None
    nsn = match.group(1)
    if not (_CN_GENERAL.fullmatch(nsn) and _CN_MOBILE.fullmatch(nsn)):
        return None
    if any(p.fullmatch(nsn) for p in _CN_BEFORE_MOBILE):
        return None
    return nsn


# --- CN landline fast path ---------------------------------------------------
# The other common cell: a CN landline with its area code, 0571-4709 8888,
# (0571)47098888 or +86 851 6158 0000. For text of digits, spaces, dashes
# and parentheses around a leading area code, phonenumbers.parse depends on
# the digits only: it drops the leading "(" (a number starts at its first
# digit), treats the other punctuation as separators, strips the national
# prefix 0 (the original number is not viable, the rest is) and finds no
# country code, IDD prefix or extension; for +86 and a national number
# starting 2-9 there is no national prefix to strip. The type is then
# decided as in phonenumbers' number_type; only a plain fixed line (no
# special type, not also a mobile pattern) takes this path. A test compares
# it with phonenumbers.


def _desc_test(desc: PhoneNumberDesc | None) -> tuple[frozenset[int], re.Pattern[str]] | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


def _matches(nsn: str, test: tuple[frozenset[int], re.Pattern[str]] | None) -> bool:
    """phonenumbers' _is_number_matching_desc."""
    if test is None:
        return False
    lengths, pattern = test
    return (not lengths or len(nsn) in lengths) and pattern.fullmatch(nsn) is not None


_CN_GENERAL_TEST = _desc_test(_CN_META.general_desc)
_CN_SPECIAL_TESTS = [
    _desc_test(getattr(_CN_META, name))
    for name in ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number")
    + ("pager", "uan", "voicemail")
]
_CN_FIXED_TEST = _desc_test(_CN_META.fixed_line)
_CN_MOBILE_TEST = _desc_test(_CN_META.mobile)
_CN_SAME_PATTERNS = bool(_CN_META.same_mobile_and_fixed_line_pattern)
_FAST_LANDLINE = re.compile(
    r"(\+86[ -]?)?[0-9]+(?:[ -][0-9]+){0,3}|\(0[0-9]{2,3}\)[ -]?[0-9]+(?:[ -][0-9]+){0,2}"
)
_SEPARATORS = str.maketrans("", "", " -()")

CN_LONGEST_NSN = max(_CN_GENERAL_TEST[0] if _CN_GENERAL_TEST and _CN_GENERAL_TEST[0] else {17})
"""No valid CN national number has more digits than this (17: any number)."""


def cn_landline_nsn(text: str) -> str | None:
    """The national number if ``text`` is one plain CN fixed line, as
    phonenumbers would parse and classify it with region CN."""
    shape = _FAST_LANDLINE.fullmatch(text)
    if shape is None or _CN_SAME_PATTERNS:
        return None
    digits = text.translate(_SEPARATORS)
    if shape[1]:
        nsn = digits[3:]
        if not nsn or nsn[0] in "01":
            return None
    else:
        if len(digits) < 3 or digits[0] != "0" or digits[1] == "0":
            return None
        if _CN_GENERAL_TEST is not None and _CN_GENERAL_TEST[1].fullmatch(digits):
            return None  # the 0 might be kept: let phonenumbers decide
        nsn = digits[1:]
    if not _matches(nsn, _CN_GENERAL_TEST) or any(_matches(nsn, t) for t in _CN_SPECIAL_TESTS):
        return None
    if not _matches(nsn, _CN_FIXED_TEST) or _matches(nsn, _CN_MOBILE_TEST):
        return None
    return nsn
