"""Splink 5 (DuckDB) on the labelled sets, configured as a competent user would.

    .venv-bench/bin/python bench/splink_labelled.py KIND RECORDS.csv CLUSTERS.csv PAIRS.csv

KIND is ``persons`` (persons_fake_1000), ``companies`` (companies_patstat_nl),
``orgs``, ``latin``, ``mixed`` (the generator's gen-<kind>-<n>k sets; their cleaning
is in bench/splink_cleaning.py), ``febrl`` or ``crm`` (the configurations of
bench/splink_runner.py). Writes
``record_id,cluster_id`` for every record and every pair Splink's prediction
blocking generated as ``record_id_l,record_id_r`` (Splink's own blocked-pairs
table; see :func:`bench.splink_runner.link_and_cluster`).

Cleaning is what a Splink user would write for such data; no setting is tuned on
the truth. Clusters are connected components at match probability 0.9.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.splink_cleaning import (  # noqa: E402
    clean_companies,
    clean_latin,
    clean_mixed,
    clean_orgs,
    clean_persons,
)
from bench.splink_runner import link_and_cluster, run_splink  # noqa: E402


def _settings(comparisons: list[Any], blocking: list[Any], unique_id: str = "record_id") -> Any:
    """Deduplication settings (Splink's matching columns not retained)."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=unique_id,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
    )


def persons_settings() -> tuple[Any, list[Any], list[Any]]:
    """Name, date-of-birth, e-mail and exact-city comparisons; four blocking rules."""
    import splink.comparison_library as cl
    from splink import block_on

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
    deterministic = [block_on("first_name", "surname", "dob"), block_on("email")]
    em_rules = [block_on("first_name", "surname"), block_on("dob")]
    return _settings(comparisons, blocking, "id"), deterministic, em_rules


def companies_settings() -> tuple[Any, list[Any], list[Any]]:
    """Jaro-Winkler on the cleaned name and on its sorted tokens, exact IPC classes,
    co-author overlap; blocking on name prefixes and tokens."""
    import splink.comparison_library as cl
    from splink import block_on

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
    deterministic = [block_on("name")]
    em_rules = [block_on("substr(name, 1, 5)"), block_on("ipc")]
    return _settings(comparisons, blocking, "id"), deterministic, em_rules


def orgs_settings() -> tuple[Any, list[Any], list[Any]]:
    """gen-orgs: company name, switchboard, domain, registration number, place."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import block_on

    # Postcode, else city: either places the company. The city's term frequency keeps
    # a shared 上海 from weighing like a shared small town. Null only when neither
    # can be compared, so a postcode on one side and a city on both still counts.
    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.And(cll.NullLevel("postcode"), cll.NullLevel("city")),
            cll.ExactMatchLevel("postcode"),
            cll.ExactMatchLevel("city").configure(tf_adjustment_column="city"),
            cll.ElseLevel(),
        ],
    )
    comparisons = [
        # Jaro-Winkler on the cleaned name catches typos and dropped suffixes (奥诚天 /
        # 奥诚天服饰); on the sorted tokens, the moved place (天津 奥诚天服饰 /
        # 奥诚天服饰 天津) and re-ordered Latin names.
        cl.JaroWinklerAtThresholds("company", [0.95, 0.88, 0.7]),
        cl.JaroWinklerAtThresholds("company_sorted", [0.95, 0.88]),
        cl.ExactMatch("phone"),  # switchboard, extension dropped: the firm's number
        # Free-mail domains (qq.com, 163.com) are shared by unrelated firms: term
        # frequencies weigh a shared rare domain far above a shared qq.com.
        cl.ExactMatch("domain").configure(term_frequency_adjustments=True),
        cl.ExactMatch("org_id"),  # a registration number is the firm's identity
        place,
    ]
    # Each strong identifier on its own (phone, domain, registration), and the name's
    # first four characters, raw and token-sorted, for records with none of them.
    blocking = [
        block_on("phone"),
        block_on("domain"),
        block_on("org_id"),
        block_on("substr(company, 1, 4)"),
        block_on("substr(company_sorted, 1, 4)"),
    ]
    deterministic = [
        "l.org_id = r.org_id",
        "l.phone = r.phone and l.company = r.company",
        "l.domain = r.domain and l.company = r.company",
    ]
    # EM on two strong identifiers, so most pairs in each block are matches (a name
    # prefix block is mostly look-alike firms, which EM would learn as matches); each
    # trains the other's m.
    em_rules = [block_on("phone"), block_on("org_id")]
    return _settings(comparisons, blocking), deterministic, em_rules


def latin_settings() -> tuple[Any, list[Any], list[Any]]:
    """gen-latin: names, date of birth, e-mail, city, postcode, phone numbers."""
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        # Splink's person-name comparison: exact (with the full name's term frequency),
        # swapped, Jaro-Winkler on both, one of the two equal.
        cl.ForenameSurnameComparison(
            "forename", "surname", forename_surname_concat_col_name="full_name"
        ),
        # Day-first / month-first already resolved to ISO; typos land a level lower.
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.EmailComparison("email"),  # exact, same user name, Jaro-Winkler
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),  # London is common
        cl.LevenshteinAtThresholds("postcode", [1]),  # a one-character typo
        # Any number shared, whichever column holds it in either record.
        cl.ArrayIntersectAtSizes("phones", [1]),
    ]
    # Initial + surname (A. Schröder / Anna Schröder, Jeff / Jeffrey), each identifier
    # alone (each number of a record on its own), and surname + postcode for a
    # surname without a forename (Fr. Schroeder).
    blocking = [
        block_on("substr(forename, 1, 1)", "surname"),
        block_on("email"),
        block_on("phones", arrays_to_explode=["phones"]),
        block_on("dob"),
        block_on("surname", "postcode"),
    ]
    deterministic = [
        "l.email = r.email",
        "l.phones = r.phones and l.surname = r.surname",
        "l.forename = r.forename and l.surname = r.surname and l.dob = r.dob",
    ]
    # EM on two identifiers, not on names: a name block is mostly namesakes, which EM
    # would take for matches (and learn that a match's numbers often differ).
    em_rules = [block_on("email"), block_on("phones")]
    return _settings(comparisons, blocking), deterministic, em_rules


def mixed_settings() -> tuple[Any, list[Any], list[Any]]:
    """gen-mixed: the CRM comparisons, the Latin ones and the organisation ones in
    one model; a column a record lacks is None there and its comparison's null
    level gives it no weight, so each record is compared on what it has."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import block_on

    # One name comparison for both scripts: Chinese names exact, then pinyin (as for
    # the CRM set); Latin names as their sorted folded words; surname alone last.
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.And(cll.NullLevel("name_tokens"), cll.NullLevel("surname")),
            cll.ExactMatchLevel("name").configure(tf_adjustment_column="name"),
            cll.ExactMatchLevel("name_tokens").configure(tf_adjustment_column="name_tokens"),
            cll.JaroWinklerLevel("name_tokens", 0.92),
            cll.JaroWinklerLevel("name_tokens", 0.8),
            cll.ExactMatchLevel("surname"),
            cll.ElseLevel(),
        ],
    )
    comparisons = [
        name,
        cl.LevenshteinAtThresholds("mobile", [1]),  # a one-digit typo, as for the CRM set
        # A firm's switchboard; a person's line with its extension (term frequency
        # for the switchboards staff give without one).
        cl.ExactMatch("landline").configure(term_frequency_adjustments=True),
        cl.EmailComparison("email"),
        cl.ExactMatch("wechat"),  # an account id, exact or nothing
        cl.ExactMatch("domain").configure(term_frequency_adjustments=True),  # firms only
        # Employer for a person, the name itself for a firm: Jaro-Winkler as for orgs.
        cl.JaroWinklerAtThresholds("company", [0.95, 0.88, 0.7]),
        cl.JaroWinklerAtThresholds("address", [0.9, 0.75]),  # as for the CRM set
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.ExactMatch("postcode"),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("id_number"),  # Chinese ID card: exact or nothing
        cl.ExactMatch("org_id"),
    ]
    # Mobile and e-mail find most persons of either script; the landline finds firms
    # (and persons without a mobile); the name finds persons without either; the
    # company's first four characters find firms without a shared phone. Every rule
    # keeps to one record type: a person and an organisation are never one entity,
    # so a firm is never compared with its staff.
    blocking = [
        block_on("mobile", "record_type"),
        block_on("email", "record_type"),
        block_on("landline", "record_type"),
        block_on("name_tokens", "record_type"),
        block_on("substr(company, 1, 4)", "record_type"),
    ]
    deterministic = [
        "l.mobile = r.mobile and l.name_tokens = r.name_tokens",
        "l.email = r.email",
        "l.id_number = r.id_number",
        "l.org_id = r.org_id",
    ]
    # EM on two identifiers (see latin_settings). Firms have e-mails, so the e-mail
    # block trains their comparisons too; a landline block would not do: staff who
    # give the bare switchboard make EM learn that matches' mobiles differ. Levels
    # no block shows (a differing domain) keep Splink's default m.
    em_rules = [block_on("mobile", "record_type"), block_on("email", "record_type")]
    return _settings(comparisons, blocking), deterministic, em_rules


# kind -> (cleaning, settings, unique id column)
CONFIGURATIONS: dict[str, tuple[Callable[[pd.DataFrame], pd.DataFrame], Callable[[], Any], str]] = {
    "persons": (clean_persons, persons_settings, "id"),
    "companies": (clean_companies, companies_settings, "id"),
    "orgs": (clean_orgs, orgs_settings, "record_id"),
    "latin": (clean_latin, latin_settings, "record_id"),
    "mixed": (clean_mixed, mixed_settings, "record_id"),
}


def main(argv: list[str]) -> None:
    """Subprocess entry point: read, clean, link, write clusters and blocked pairs."""
    kind, records, clusters_out, pairs_out = argv
    df = pd.read_csv(records, dtype=str, keep_default_na=False, na_values=[""])
    if kind in ("crm", "febrl"):
        clusters = run_splink(df, kind=kind, blocked_pairs_out=Path(pairs_out))  # type: ignore[arg-type]
    elif kind in CONFIGURATIONS:
        clean, settings_for, id_column = CONFIGURATIONS[kind]
        settings, deterministic, em_rules = settings_for()
        clusters = link_and_cluster(
            clean(df), settings, deterministic, em_rules, id_column=id_column,
            blocked_pairs_out=Path(pairs_out),
        )  # fmt: skip
    else:
        known = ", ".join([*CONFIGURATIONS, "febrl", "crm"])
        raise SystemExit(f"unknown kind {kind!r}: use {known}")
    pd.DataFrame({"record_id": list(clusters), "cluster_id": list(clusters.values())}).to_csv(
        clusters_out, index=False
    )


if __name__ == "__main__":
    main(sys.argv[1:])
