"""The single-record check: "is this new customer already here?"

:func:`check_record` takes the raw fields of one record (as a form or a
hotline agent would type them), standardizes them exactly as an import
would, looks up candidates through the store's indexes (same mobile or
landline, e-mail, WeChat id, id number, name reading or street address),
scores them with the store's current match model and returns them ranked,
each with its band and a reason in English and Chinese. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core.errors import NotFoundError
from core.matching.coding import Coded
from core.matching.comparisons import COMPARISONS
from core.matching.explanations import explanation, reason
from core.matching.frames import pd
from core.matching.profiles import load_profiles, profiles_from_rows
from core.matching.runs import current_model
from core.matching.scoring import Scorer
from core.settings import Settings
from core.standardize.record import standardize_records
from core.store import Store

_LOOKUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mob_a", ("mobile", "phone")),
    ("mob_b", ("mobile", "phone")),
    ("land_a", ("mobile", "phone", "fax")),
    ("email", ("email",)),
    ("wechat", ("wechat",)),
    ("id_number", ("id_number",)),
    ("name_key", ("name_key",)),
    ("address_key", ("address_key",)),
    ("birth_date", ("birth_date",)),
    ("org_key", ("company_key",)),
    ("domain", ("website",)),
    ("org_id", ("org_id",)),
)
"""Profile column → indexed standardized columns where its value is looked
up (a birth date finds a person whose name was mistyped; an organisation's
name, web domain or registration number finds the organisation)."""

_PREFIXES: tuple[tuple[str, str], ...] = (("org_key", "company_key"), ("name_key", "name_key"))
"""Profile column → indexed column searched for values that start alike (the
first three characters: an organisation or a name with a typo further on)."""

_COUNTED: dict[str, tuple[str, ...]] = {
    "name": ("name_key",),
    "mobile": ("mobile", "phone"),
    "landline": ("mobile", "phone"),
    "email": ("email",),
    "company": ("company_key",),
    "address": ("address_key",),
}
"""Frequency-adjusted comparison → standardized columns its values are counted in."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored record that may be the same customer."""

    record_id: int
    source_record_id: str
    score: float
    band: str
    reason_en: str
    reason_zh: str
    explanation: str


def check_record(
    store: Store,
    fields: Mapping[str, str],
    *,
    limit: int = 10,
    per_key: int = 200,
    settings: Settings | None = None,
) -> list[Candidate]:
    """Ranked candidates for one record that is not (yet) in the store.

    Args:
        store: a store that has been matched at least once (it holds a model).
        fields: raw values by canonical field name (``name``, ``mobile``, …).
        limit: most candidates returned.
        per_key: most records fetched per lookup key (a very common name
            yields its first ``per_key`` holders).
        settings: engine settings; the store's own when omitted.

    Returns:
        Candidates, best first, with ``band`` ``auto``, ``review`` or
        ``no_match`` by the pair score and the match thresholds.

    Raises:
        NotFoundError: the store has no match model yet.
    """
    model = current_model(store)
    if model is None:
        raise NotFoundError("no match model yet; run: python -m core match --db DB")
    settings = settings if settings is not None else store.settings()
    raw = {k: str(v) for k, v in fields.items() if v is not None}
    region = str(settings["default_region"])
    query = profiles_from_rows(standardize_records([raw], region=region), [raw])
    ids = _candidate_ids(store, query.iloc[0], per_key)
    if not ids:
        return []
    stored = load_profiles(store, ids)
    stored = stored[stored["entity"] == query["entity"].iloc[0]]  # never a person with a firm
    if stored.empty:
        return []
    profiles = pd.concat([query, stored], ignore_index=True)
    scorer = Scorer(Coded.of(profiles), model, _counts(store, query.iloc[0]))
    others = profiles["id"].to_numpy(np.int64)[1:]
    mine = np.full(len(others), int(query["id"].iloc[0]), dtype=np.int64)
    scored = scorer.score(mine, others)
    alike = scorer.similarity(mine, others)
    order = np.argsort(-scored.score, kind="stable")[:limit]
    marks = ",".join("?" * len(order))
    names = dict(
        store.conn.execute(
            f"select id, source_record_id from source_records where id in ({marks})",
            [int(others[i]) for i in order],
        ).fetchall()
    )
    review = float(settings["match_review_threshold"])
    auto = float(settings["match_auto_threshold"])
    out = []
    for i in order:
        score = float(scored.score[i])
        near = {name: float(values[i]) for name, values in alike.items()}
        packed = explanation(scored.levels[i], scored.bits[i], score, near)
        band = "auto" if score >= auto else "review" if score >= review else "no_match"
        record = int(others[i])
        out.append(Candidate(record, str(names.get(record, "")), round(score, 6), band,
                             reason(packed, "en"), reason(packed, "zh"), packed))  # fmt: skip
    return out


def _candidate_ids(store: Store, profile: pd.Series, per_key: int) -> list[int]:
    found: set[int] = set()
    for column, targets in _LOOKUPS:
        value = str(profile[column])
        if not value:
            continue
        for target in targets:
            rows = store.conn.execute(
                f"select record_id from standardized where [{target}] = ? limit ?",
                [value, per_key],
            )
            found.update(int(r[0]) for r in rows)
    for column, target in _PREFIXES:
        value = str(profile[column])[:3]
        if len(value) < 3:
            continue
        rows = store.conn.execute(  # a range on the index: ``value`` up to its last code point
            f"select record_id from standardized where [{target}] >= ? and [{target}] < ? limit ?",
            [value, value + "\U0010ffff", per_key],
        )
        found.update(int(r[0]) for r in rows)
    return sorted(found)


def _counts(store: Store, profile: pd.Series) -> dict[str, dict[str, float]]:
    """How many stored records carry each of the query's values (+1 for the
    query itself), per frequency-adjusted comparison."""
    counts: dict[str, dict[str, float]] = {}
    for comp in COMPARISONS:
        if comp.name not in _COUNTED:
            continue
        values = {str(profile[c]) for c in comp.tf_columns} - {""}
        tally: dict[str, float] = {}
        for value in values:
            holders: set[int] = set()
            for target in _COUNTED[comp.name]:
                holders.update(
                    r[0]
                    for r in store.conn.execute(
                        f"select record_id from standardized where [{target}] = ?", [value]
                    )
                )
            tally[value] = float(len(holders) + 1)
        counts[comp.name] = tally
    return counts
