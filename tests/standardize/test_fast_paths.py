"""The fast paths of the standardizers give exactly what the slow paths give.

Each fast path skips work for the shapes most cells have (an ASCII cell, a
plain ISO date, a plain e-mail address, a CN landline, a batch of
addresses); these tests compare it with the general path, or with the
library it stands in for, on generated values.
"""

import datetime as dt
import random
import re
import unicodedata
from unittest import mock

import pytest
from email_validator import validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.standardize import address, dates, email_address, phone, text

# --- text ----------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, text._INVISIBLE_CHARS), None)


def reference_fold(raw: str) -> str:
    """fold() as it was written before its fast paths."""
    folded = unicodedata.normalize("NFKC", raw.translate(_INVISIBLE)).translate(_INVISIBLE)
    return re.sub(r"\s+", " ", folded).strip()


tricky_text = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(list(text._INVISIBLE_CHARS) + ["\u3000", "\xa0", "\x1c", "\u0301", " "]),
    ),
    max_size=30,
)


@settings(max_examples=2000, deadline=None)
@given(tricky_text)
@example("A\u200b\u0300")
@example("\u3000\x1c\u2028 x \t")
def test_fold_and_is_blank_match_the_reference(raw):
    assert text.fold(raw) == reference_fold(raw)
    assert text.is_blank(raw) == (reference_fold(raw) == "")


# --- dates ---------------------------------------------------------------------

plain_dates = st.builds(
    lambda y, sep, m, d, t: f"{y}{sep}{m}{sep}{d}{t}",
    st.sampled_from(["2024", "1999", "1000", "1899", "1900", "2026", "2027", "9999", "0000"]),
    st.sampled_from(["-", "/", "."]),
    st.sampled_from(["1", "01", "2", "02", "12", "13", "0", "00"]),
    st.sampled_from(["1", "01", "28", "29", "30", "31", "32", "0"]),
    st.sampled_from(["", " 14:05", " 14:05:06", "T14:05:06", "t9:58", " 24:00", " 23:59:60"]),
)


@settings(max_examples=1500, deadline=None)
@given(
    plain_dates,
    st.sampled_from(["2026-06-30", "2024-02-29", "2026-01-01"]),
    st.booleans(),
)
@pytest.mark.slow
def test_plain_dates_read_as_the_general_parser_reads_them(raw, today, birth):
    try:
        expected = dates._parse(text.fold(raw), dt.date.fromisoformat(today), birth)
    except (dates._Impossible, OverflowError, ValueError):
        expected = dates._result("invalid", "date.impossible")
    assert dates._cached.__wrapped__(raw, today, birth) == expected
    assert dates.date_columns(raw, today, birth) == (
        expected.value,
        expected.status,
        expected.reason,
    )


@pytest.mark.parametrize("raw", ["", "  ", "无", "2024年3月1日", "3/1/2024", "45352", "tomorrow"])
def test_date_columns_are_the_parsers_columns(raw):
    for birth, parse in ((False, dates.parse_date), (True, dates.parse_birth_date)):
        r = parse(raw, today="2026-06-30")
        assert dates.date_columns(raw, "2026-06-30", birth) == (r.value, r.status, r.reason)


# --- e-mail --------------------------------------------------------------------

atext = st.sampled_from(list("abcxyz0189_-+=!#$%&'*/?^`{|}~.") + ["A", "Z", "ä", "张"])
# RFC 2142 role names in any letter case (email_validator lower-cases them).
role_names = st.builds(
    lambda name, upper: "".join(c.upper() if u else c for c, u in zip(name, upper, strict=False)),
    st.sampled_from(sorted(email_address._CASE_INSENSITIVE) + ["infos", "sale"]),
    st.lists(st.booleans(), min_size=10, max_size=10),
)
emails = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.one_of(st.text(atext, min_size=1, max_size=70), role_names),
    st.one_of(
        st.sampled_from(
            ["qq.com", "163.com", "acme.com.cn", "xn--fiqs8s.cn", "a-.com", "-a.com", "localhost"]
            + ["test", "ex..com", "1.2", "b.c", "x.invalid", "QQ.COM", "a" * 250 + ".com"]
        ),
        st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z0-9-]{1,6}){1,2}", fullmatch=True),
    ),
)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(emails)
@example("postmaster@acme.com")
@example("Postmaster@acme.com")
@example("INFO@Acme.COM")
@example("Zhang.Wei@QQ.COM")
@example("a" * 64 + "@" + "b" * 60 + ".com")
def test_the_plain_address_check_agrees_with_email_validator(address_):
    local, _, domain = address_.rpartition("@")
    plain = email_address._plain(address_, local, domain)
    if plain is None:
        return  # the caller asks email_validator itself
    valid = validate_email(address_, check_deliverability=False)  # raises if plain was wrong
    assert plain == (valid.local_part, valid.domain)


@pytest.mark.parametrize(
    ("address_", "expected"),
    [
        ("Zhang.Wei@QQ.COM", ("Zhang.Wei", "qq.com")),
        ("INFO@acme.cn", ("info", "acme.cn")),
        ("Infos@acme.cn", ("Infos", "acme.cn")),
    ],
)
def test_mixed_case_mailbox_names_take_the_plain_path(address_, expected):
    local, _, domain = address_.rpartition("@")
    assert email_address._plain(address_, local, domain) == expected


# --- phone ---------------------------------------------------------------------


def _landline_samples(n: int) -> list[str]:
    rng = random.Random(7)
    samples = []
    for _ in range(n):
        area = str(rng.randint(10, 999))
        sub = "".join(rng.choice("0123456789") for _ in range(rng.choice([5, 6, 7, 8, 9])))
        if len(sub) > 5 and rng.random() < 0.3:
            sub = sub[:4] + rng.choice([" ", "-"]) + sub[4:]
        prefix = rng.choice(["0", "0", "0", "+86 ", "+86-", "+86", "00", "1", "", "(0", "("])
        close = ")" if prefix.startswith("(") and rng.random() < 0.9 else ""
        sample = prefix + area + close + rng.choice(["", "-", " "]) + sub
        if rng.random() < 0.3:  # a trailing group: an extension, or digits too many
            sample += rng.choice(["-", " "]) + str(rng.randint(0, 10 ** rng.randint(1, 6)))
        samples.append(sample)
    return samples + [
        "010-62345678", "0755 8888 8888", "+86 851 6158 0000", "400-810-8888",
        "(0571)27880000", "(010) 6234 5678", "0571-27880000-662", "(0571)27880000-662",
        "010-62345678-8021", "0086-10-62345678-12", "1-2-3-4-5-6", "(010)(6234)5678",
    ]  # fmt: skip


def _classify_without_fast_paths(sample: str) -> phone.PhoneResult:
    with mock.patch.object(phone, "_cn_landline_nsn", lambda _: None):
        return phone._classify(sample, "", "CN")


@pytest.mark.slow
def test_cn_landlines_classify_as_phonenumbers_classifies_them():
    samples = _landline_samples(20000)
    hits = {"plain": 0, "parenthesised": 0, "extension": 0}
    for sample in samples:
        fast = phone._classify(sample, "", "CN")
        assert fast == _classify_without_fast_paths(sample), sample
        if phone._cn_landline_nsn(sample) is not None:
            hits["parenthesised" if "(" in sample else "plain"] += 1
        elif phone._cn_landline_and_extension(sample, re.sub("[^0-9]", "", sample), ""):
            hits["extension"] += 1
    assert min(hits.values()) > 100, hits  # each fast path is actually taken


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(st.from_regex(r"(\+86|\()?[0-9() -]{0,22}", fullmatch=True))
@example("(0571)27880000-662")
def test_any_digits_and_separators_classify_as_without_the_fast_paths(sample):
    assert phone._classify(sample, "", "CN") == _classify_without_fast_paths(sample)


def _mobile_samples(n: int) -> list[str]:
    rng = random.Random(11)
    samples = []
    for _ in range(n):
        digits = "1" + "".join(rng.choice("0123456789") for _ in range(rng.choice([10, 10, 9, 11])))
        prefix = rng.choice(["", "", "+86 ", "+86", "0086", "86", "+852 ", "0"])
        if rng.random() < 0.4:
            sep = rng.choice([" ", "-", "."])
            digits = digits[:3] + sep + digits[3:7] + sep + digits[7:]
        samples.append(prefix + digits + rng.choice(["", "", " ", "转8", "/13812345678"]))
    return samples + [
        "",
        " ",
        "无",
        "１３８１２３４５６７８",
        "13812345678.0",
        "95588",
        "1065 8888 8888",
    ]


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(st.sampled_from(_mobile_samples(3000)), st.text(max_size=20)),
    st.sampled_from(["CN", "cn", "HK", "US", "ZZ"]),
)
def test_phone_columns_are_the_columns_of_normalize_phone(raw, region):
    r = phone.normalize_phone.__wrapped__(raw, region)
    expected = (r.value, r.status, r.reason, r.kind, r.extension, " ".join(r.others))
    assert phone.phone_columns(raw, region) == expected


@pytest.mark.slow
def test_phone_columns_of_generated_mobiles():
    for raw in _mobile_samples(20000):
        r = phone.normalize_phone.__wrapped__(raw, "CN")
        assert phone.phone_columns(raw, "CN") == (
            r.value, r.status, r.reason, r.kind, r.extension, " ".join(r.others)
        ), raw  # fmt: skip


# --- address -------------------------------------------------------------------


def test_cpca_read_one_by_one_equals_its_dataframe_interface():
    texts = [
        address._mask(address._clean(text.to_simplified(text.fold(raw))))
        for raw in (
            "广东省深圳市南山区科技园南路88号",
            "朝阳区建国路88号",
            "吉林省吉林市船营区",
            "中山路1号",
            "市辖区",
            "北京",
            "abc",
            "深圳南山科技园",
            "湖北省仙桃市",
        )
    ]
    assert address._cpca(texts) == address._cpca_frame(texts)
