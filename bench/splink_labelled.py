"""Splink 5 (DuckDB) on the labelled sets, configured as a competent user would.

    .venv-bench/bin/python bench/splink_labelled.py KIND RECORDS.csv CLUSTERS.csv PAIRS.csv

KIND is ``persons`` (persons_fake_1000), ``companies`` (companies_patstat_nl),
``febrl`` or ``crm`` (the configurations of bench/splink_runner.py). Writes
``record_id,cluster_id`` for every record and every pair Splink's prediction
blocking generated as ``record_id_l,record_id_r`` (Splink's own blocked-pairs
table; see :func:`bench.splink_runner.link_and_cluster`).

Cleaning is what a Splink user would write for such data; no setting is tuned on
the truth. Clusters are connected components at match probability 0.9.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.splink_runner import link_and_cluster, run_splink  # noqa: E402

_PUNCTUATION = re.compile(r"[^\w\s]|_")


def _lower(value: object) -> str | None:
    """NFKC, lower-cased and trimmed text; None when empty or missing."""
    if not isinstance(value, str):
        return None
    s = unicodedata.normalize("NFKC", value).strip().lower()
    return s or None


def _none_for_na(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (what Splink's DuckDB registration reads as NULL)."""
    out: pd.DataFrame = frame.astype(object).where(frame.notna(), None)
    return out


def clean_persons(df: pd.DataFrame) -> pd.DataFrame:
    """persons_fake_1000: id, first_name, surname, dob (ISO string), city, email,
    all lower-cased and trimmed, plus the full name for term frequencies."""
    out = pd.DataFrame({"id": df["id"].astype(str)})
    for column in ("first_name", "surname", "dob", "city", "email"):
        out[column] = [_lower(v) for v in df[column]]
    pairs = zip(out["first_name"], out["surname"], strict=True)
    out["full_name"] = [f"{f} {s}" if f and s else None for f, s in pairs]
    return _none_for_na(out)


def _company_name(value: object) -> str | None:
    s = _lower(value)
    if s is None:
        return None
    s = " ".join(_PUNCTUATION.sub(" ", s).split())
    return s or None


def _split(value: object) -> list[str] | None:
    """A ``**``-separated list (Coauthor, Class) as a sorted list of cleaned items."""
    if not isinstance(value, str):
        return None
    items = sorted({" ".join(_PUNCTUATION.sub(" ", v.lower()).split()) for v in value.split("**")})
    items = [i for i in items if i]
    return items or None


def clean_companies(df: pd.DataFrame) -> pd.DataFrame:
    """companies_patstat_nl: the applicant name without case or punctuation, its
    tokens sorted, the IPC classes (as given, and as a list) and the co-authors."""
    out = pd.DataFrame({"id": df["id"].astype(str)})
    out["name"] = [_company_name(v) for v in df["Name"]]
    out["name_sorted"] = [" ".join(sorted(n.split())) if n else None for n in out["name"]]
    out["name_first_token"] = [n.split()[0] if n else None for n in out["name_sorted"]]
    out["ipc"] = [_lower(v) for v in df["Class"]]
    out["ipc_list"] = [_split(v) for v in df["Class"]]
    out["coauthors"] = [_split(v) for v in df["Coauthor"]]
    return _none_for_na(out)


def persons_settings() -> tuple[Any, list[Any], list[Any]]:
    """Name, date-of-birth, e-mail and exact-city comparisons; four blocking rules."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = [
        cl.ForenameSurnameComparison(
            "first_name", "surname", forename_surname_concat_col_name="full_name"
        ),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.EmailComparison("email"),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
    ]
    blocking = [
        block_on("first_name", "surname"),
        block_on("dob"),
        block_on("email"),
        block_on("city", "substr(surname, 1, 1)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
    )
    deterministic = [block_on("first_name", "surname", "dob"), block_on("email")]
    em_rules = [block_on("first_name", "surname"), block_on("dob")]
    return settings, deterministic, em_rules


def companies_settings() -> tuple[Any, list[Any], list[Any]]:
    """Jaro-Winkler on the cleaned name and on its sorted tokens, exact IPC classes,
    co-author overlap; blocking on name prefixes and tokens."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = [
        cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]),
        cl.JaroWinklerAtThresholds("name_sorted", [0.95, 0.88]),
        cl.ExactMatch("ipc").configure(term_frequency_adjustments=True),
        cl.ArrayIntersectAtSizes("coauthors", [2, 1]),
    ]
    blocking = [
        block_on("substr(name, 1, 5)"),
        block_on("name_first_token"),
        block_on("substr(name_sorted, 1, 5)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
    )
    deterministic = [block_on("name")]
    em_rules = [block_on("substr(name, 1, 5)"), block_on("ipc")]
    return settings, deterministic, em_rules


def main(argv: list[str]) -> None:
    """Subprocess entry point: read, clean, link, write clusters and blocked pairs."""
    kind, records, clusters_out, pairs_out = argv
    df = pd.read_csv(records, dtype=str, keep_default_na=False, na_values=[""])
    if kind in ("crm", "febrl"):
        clusters = run_splink(df, kind=kind, blocked_pairs_out=Path(pairs_out))  # type: ignore[arg-type]
    elif kind in ("persons", "companies"):
        clean = clean_persons(df) if kind == "persons" else clean_companies(df)
        settings, deterministic, em_rules = (
            persons_settings() if kind == "persons" else companies_settings()
        )
        clusters = link_and_cluster(
            clean, settings, deterministic, em_rules, id_column="id",
            blocked_pairs_out=Path(pairs_out),
        )  # fmt: skip
    else:
        raise SystemExit(f"unknown kind {kind!r}: use persons, companies, febrl or crm")
    pd.DataFrame({"record_id": list(clusters), "cluster_id": list(clusters.values())}).to_csv(
        clusters_out, index=False
    )


if __name__ == "__main__":
    main(sys.argv[1:])
