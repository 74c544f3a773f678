"""Splink (DuckDB backend) configured as a competent user would, for CRM and FEBRL.

Cleaning is written here from scratch (not the project's standardizers): what a
Splink user would do on such data before linking.

Threshold choice: pairs are scored with `predict(threshold_match_probability=0.5)`
(a cheap filter) and clustered by connected components at match probability
`CLUSTER_THRESHOLD` = 0.9, the value used across Splink's tutorials; it is not
tuned on the ground truth.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Hashable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

PREDICT_THRESHOLD = 0.5
CLUSTER_THRESHOLD = 0.9

_PLACEHOLDERS = {"", "/", "-", "--", "无", "未知", "null", "none", "n/a", "na", "nan", "暂无"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HONORIFIC = re.compile(r"^(.{1,2}?)(先生|女士|小姐|总|老师|经理|老板|师傅|姐|哥)$")
_COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "慕容",
    "东方",
    "皇甫",
    "令狐",
    "公孙",
    "夏侯",
    "端木",
    "尉迟",
    "长孙",
    "宇文",
    "司徒",
    "轩辕",
    "呼延",
    "南宫",
    "西门",
    "独孤",
}
_COMPANY_NOISE = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司|co\.?,? ?ltd\.?|limited|inc\.?|group)"
)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=200_000)
def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


def _text(value: object) -> str | None:
    """NFKC, trimmed, lower-cased text, or None for missing / placeholder values."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return None if s in _PLACEHOLDERS else s


def _simplified(s: str) -> str:
    return str(_t2s().convert(s))


def _name_parts(value: object) -> tuple[str | None, str | None, str | None]:
    """(Simplified Chinese name, surname pinyin, order-free full-name pinyin)."""
    s = _text(value)
    if s is None:
        return None, None, None
    s = _simplified(s)
    cjk = "".join(_CJK.findall(s))
    if cjk:
        honorific = _HONORIFIC.match(cjk)
        if honorific:  # 王先生: only the surname is known
            return None, _pinyin(honorific.group(1)), None
        cut = 2 if cjk[:2] in _COMPOUND_SURNAMES and len(cjk) > 2 else 1
        surname, given = _pinyin(cjk[:cut]), _pinyin(cjk[cut:])
        tokens = [t for t in (surname, given) if t]
        return cjk, surname, " ".join(sorted(tokens))
    tokens = re.findall(r"[a-z]+", s)
    if not tokens:
        return None, None, None
    return None, None, " ".join(sorted(tokens))


def _digits(value: object) -> str:
    s = _text(value) or ""
    s = re.split(r"转|ext|x|#", s)[0]
    return re.sub(r"\D", "", s)


def _mobile(value: object) -> str | None:
    d = _digits(value)
    for prefix in ("0086", "86"):
        if len(d) == 11 + len(prefix) and d.startswith(prefix):
            d = d[len(prefix) :]
    return d if len(d) == 11 and d.startswith("1") else None


def _landline(value: object) -> str | None:
    """All digits, extension kept: a bare switchboard number is shared by a company."""
    d = re.sub(r"\D", "", _text(value) or "")
    return d if len(d) >= 7 and _mobile(value) is None else None


def _date(value: object) -> str | None:
    s = _text(value)
    if s is None:
        return None
    m = re.match(r"^(\d{4})\D?(\d{1,2})\D?(\d{1,2})", s)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _city(value: object) -> str | None:
    s = _text(value)
    if s is None:
        return None
    s = _simplified(s)
    if _CJK.search(s):
        return _pinyin(re.sub(r"(市|地区|自治州)$", "", s))
    return re.sub(r"[^a-z]", "", s) or None


def _company(value: object) -> str | None:
    s = _text(value)
    if s is None:
        return None
    s = _COMPANY_NOISE.sub("", _simplified(s))
    s = re.sub(r"^.{2,3}?市", "", s)  # leading "长沙市"
    return re.sub(r"[\s\W_]", "", s) or None


def _address(value: object) -> str | None:
    s = _text(value)
    if s is None:
        return None
    s = re.sub(r"[\s\W_]", "", _simplified(s))
    s = re.sub(r"^(.{2,8}?(省|自治区))?(.{2,4}?市)?(.{1,4}?(区|县))?", "", s)
    return s or None


def clean_crm(df: pd.DataFrame) -> pd.DataFrame:
    """One row per input record with record_id and the cleaned linkage columns
    (None where unknown): name, surname_py, name_py, mobile, landline, email,
    wechat, company, city, address, birth_date (ISO), id_number."""
    out = pd.DataFrame({"record_id": df["record_id"].astype(str)})
    parts = [_name_parts(v) for v in df["name"]]
    out["name"] = [p[0] for p in parts]
    out["surname_py"] = [p[1] for p in parts]
    out["name_py"] = [p[2] for p in parts]
    wechat = [_text(v) for v in df["wechat"]]
    out["mobile"] = [
        _mobile(m) or _mobile(p) or _mobile(w)
        for m, p, w in zip(df["mobile"], df["phone"], wechat, strict=True)
    ]
    out["landline"] = [_landline(v) for v in df["phone"]]
    out["email"] = [
        e.replace(" ", "") if (e := _text(v)) and "@" in e else None for v in df["email"]
    ]
    out["wechat"] = [w if w and _mobile(w) is None else None for w in wechat]
    out["company"] = [_company(v) for v in df["company"]]
    out["city"] = [_city(c) or _city(p) for c, p in zip(df["city"], df["province"], strict=True)]
    out["address"] = [_address(v) for v in df["address"]]
    ids = [(_text(v) or "").replace(" ", "").upper() or None for v in df["id_number"]]
    out["id_number"] = [i if i and len(i) == 18 else None for i in ids]
    out["birth_date"] = [
        _date(b) or (_date(i[6:14]) if i else None)
        for b, i in zip(df["birth_date"], out["id_number"], strict=True)
    ]
    return out.astype(object).where(out.notna(), None)


def clean_febrl(df: pd.DataFrame) -> pd.DataFrame:
    """FEBRL columns lower-cased and trimmed, digits-only ids/postcodes, ISO dates."""
    out = pd.DataFrame({"record_id": df["record_id"].astype(str)})
    for col in ("given_name", "surname", "address_1", "address_2", "suburb", "state"):
        out[col] = [(_text(v) or "").replace("-", " ").strip() or None for v in df[col]]
    for col in ("street_number", "postcode", "soc_sec_id"):
        out[col] = [_digits(v) or None for v in df[col]]
    out["date_of_birth"] = [_date(v) for v in df["date_of_birth"]]
    return out.astype(object).where(out.notna(), None)


def _crm_settings() -> tuple[Any, list[Any], list[Any]]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.And(cll.NullLevel("name_py"), cll.NullLevel("surname_py")),
            cll.ExactMatchLevel("name").configure(tf_adjustment_column="name"),
            cll.ExactMatchLevel("name_py"),
            cll.JaroWinklerLevel("name_py", 0.92),
            cll.JaroWinklerLevel("name_py", 0.8),
            cll.ExactMatchLevel("surname_py"),
            cll.ElseLevel(),
        ],
    )
    comparisons = [
        name,
        cl.LevenshteinAtThresholds("mobile", [1]),
        cl.LevenshteinAtThresholds("landline", [1]),
        cl.EmailComparison("email"),
        cl.ExactMatch("wechat"),
        cl.ExactMatch("id_number"),
        cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("company", [0.9, 0.75]),
        cl.JaroWinklerAtThresholds("address", [0.9, 0.75]),
    ]
    blocking = [
        block_on("mobile"),
        block_on("email"),
        block_on("wechat"),
        block_on("id_number"),
        block_on("landline"),
        block_on("name", "city"),
        block_on("name_py", "birth_date"),
        block_on("surname_py", "birth_date"),
        block_on("name", "company"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
    )
    deterministic = [
        "l.mobile = r.mobile and l.name_py = r.name_py",
        "l.email = r.email",
        "l.id_number = r.id_number",
        "l.wechat = r.wechat",
    ]
    em_rules = [block_on("mobile"), block_on("name_py", "city")]
    return settings, deterministic, em_rules


def _febrl_settings() -> tuple[Any, list[Any], list[Any]]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number"),
        cl.LevenshteinAtThresholds("address_1", [1, 3]),
        cl.JaroWinklerAtThresholds("address_2", [0.9]),
        cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
        cl.LevenshteinAtThresholds("postcode", [1]),
        cl.ExactMatch("state").configure(term_frequency_adjustments=True),
    ]
    blocking = [
        block_on("given_name", "surname"),
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("soc_sec_id"),
        block_on("postcode", "street_number"),
        block_on("substr(surname, 1, 2)", "postcode"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
    )
    deterministic = [
        "l.soc_sec_id = r.soc_sec_id",
        "l.given_name = r.given_name and l.surname = r.surname"
        " and l.date_of_birth = r.date_of_birth",
    ]
    em_rules = [block_on("date_of_birth"), block_on("given_name", "surname")]
    return settings, deterministic, em_rules


def run_splink(
    df: pd.DataFrame,
    *,
    kind: Literal["crm", "febrl"],
    cluster_threshold: float = CLUSTER_THRESHOLD,
    blocked_pairs_out: Path | None = None,
) -> dict[Hashable, Hashable]:
    """Deduplicate `df` (must have a unique `record_id` column) with Splink and
    return record_id → cluster_id for every input record; see :func:`link_and_cluster`."""
    clean = clean_crm(df) if kind == "crm" else clean_febrl(df)
    settings, deterministic, em_rules = _crm_settings() if kind == "crm" else _febrl_settings()
    return link_and_cluster(
        clean,
        settings,
        deterministic,
        em_rules,
        cluster_threshold=cluster_threshold,
        blocked_pairs_out=blocked_pairs_out,
    )


def link_and_cluster(
    clean: pd.DataFrame,
    settings: Any,
    deterministic: list[Any],
    em_rules: list[Any],
    *,
    id_column: str = "record_id",
    cluster_threshold: float = CLUSTER_THRESHOLD,
    blocked_pairs_out: Path | None = None,
) -> dict[Hashable, Hashable]:
    """Train a Splink model on the cleaned frame and cluster it.

    The prior comes from the deterministic rules (recall 0.7), u from random
    sampling, m from EM on each of `em_rules`; pairs are clustered by connected
    components at `cluster_threshold`. With `blocked_pairs_out`, every pair the
    prediction blocking rules generate is written there as
    ``record_id_l,record_id_r``: Splink's own blocked-pairs table
    (``linker.inference.compute_blocked_pairs_for_predict()``), which ``predict``
    then reuses from its cache, so writing it costs no second blocking pass.

    Returns `id_column` (the settings' unique id, as str) → cluster id (as str)
    for every record.
    """
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(clean), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in em_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError:
            # Splink 5 raises when an m probability underflows below 1e-300 during
            # EM (seen at 100k CRM records); keep the parameters trained so far.
            logging.getLogger(__name__).warning("EM on %r failed; skipped", rule)
    if blocked_pairs_out is not None:
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        blocked.as_duckdbpyrelation().select(
            "join_key_l as record_id_l, join_key_r as record_id_r"
        ).write_csv(str(blocked_pairs_out))
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=cluster_threshold
    ).as_pandas_dataframe()
    result: dict[Hashable, Hashable] = dict(
        zip(clusters[id_column].astype(str), clusters["cluster_id"].astype(str), strict=True)
    )
    return result
