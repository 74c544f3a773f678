"""Data-quality KPIs for the whole store, each channel and each import batch.

:func:`compute` returns a :class:`Report`: one :class:`Kpis` for all
records, one per channel and one per import batch, from a handful of
aggregate queries (no table is loaded into pandas). Record-level figures
come from the per-batch aggregates of :mod:`core.ingest.tallies`; only the
customers a decision touched, the open proposals and the decisions are read
live, so the full report stays within seconds at a million records.

The figures, for the records in scope:

* **completeness** of a field: the share of customers with a value (their
  surviving value if a decision touched them, else their record's), and of
  source records with a non-empty value;
* **validity**: the share of non-empty values that are valid; partial,
  suspect and invalid values are counted apart;
* **consistency**: the share of typed values already in standard form;
* **uniqueness**: the duplicate rate (records in an open proposal or in a
  customer of several records, over all records) and the open proposals by
  band;
* **timeliness**: the share of customers updated or contacted within 90,
  180 and 365 days, and the dormant rate (休眠客户: no activity within
  ``dormant_days``);
* **stewardship**: the review backlog and its age for the scope; for the
  store as a whole, decisions per day (last 30 days) and per steward, the
  median hours from proposal to decision, the overturn rate (merges later
  unmerged) and the merge precision of the last signed audit session.

A customer is in a scope if one of its records is. Dates are relative to
``today`` (a parameter, so figures are reproducible).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from core.actors import SYSTEM, Actor, require
from core.fields import QUALITY_FIELDS
from core.ingest.tallies import ACTIVITY_SQL, Tally, batch_tallies
from core.quality.workload import workload
from core.settings import Settings
from core.store import Store
from core.targets import WINDOWS


@dataclass(frozen=True, slots=True)
class FieldKpi:
    """Quality of one field in one scope. Shares are 0..1, or None when
    there is nothing to measure (validity of a field nobody filled in)."""

    completeness: float | None
    record_completeness: float | None
    validity: float | None
    valid: int
    partial: int
    suspect: int
    invalid: int
    consistency: float | None


@dataclass(frozen=True, slots=True)
class Kpis:
    """Every KPI of one scope (``all``, ``channel:<name>`` or ``batch:<id>``)."""

    scope: str
    as_of: str
    records: int
    customers: int
    fields: dict[str, FieldKpi]
    duplicate_rate: float | None
    open_proposals: dict[str, int]
    timeliness: dict[str, float | None]
    dormant_rate: float | None
    backlog: int
    backlog_age_days: dict[str, float]
    decisions_per_day: dict[str, int] = field(default_factory=dict)
    decisions_per_steward: dict[str, int] = field(default_factory=dict)
    median_decision_hours: float | None = None
    overturn_rate: float | None = None
    merge_precision: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object; ``fields`` maps each field to
        ``{completeness, record_completeness, validity, invalid, suspect,
        partial, valid, consistency}``."""
        return asdict(self)

    def value(self, path: str) -> float | None:
        """One figure by its dotted path, e.g. ``fields.mobile.validity``,
        ``timeliness.90`` or ``duplicate_rate``; None if it is unknown or
        not measured."""
        node: Any = self.to_json()
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return float(node) if isinstance(node, int | float) else None


@dataclass(frozen=True, slots=True)
class Report:
    """The KPIs of the whole store, of each channel and of each batch."""

    all: Kpis
    channels: dict[str, Kpis]
    batches: dict[int, Kpis]


@dataclass(slots=True)
class _Scope:
    """What is added up for one scope while the report is built."""

    total: Tally = field(default_factory=Tally)
    untouched: Tally = field(default_factory=Tally)
    composite: int = 0
    composite_fields: Counter[str] = field(default_factory=Counter)
    composite_days: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    open_proposals: dict[str, int] = field(default_factory=lambda: {"auto": 0, "review": 0})
    backlog_ages: list[float] = field(default_factory=list)


class _Scopes:
    """The scopes being added up: all, each channel, each batch.

    Every batch belongs to exactly three scopes; ``kind`` 0, 1, 2 name them
    (all, channel, batch) when scopes are addressed by index arrays."""

    def __init__(self, batches: dict[int, str], tallies: dict[int, Tally]) -> None:
        self.batch_ids = sorted(batches)
        self.channels = sorted(set(batches.values()))
        self.channel_of = np.array(
            [self.channels.index(batches[b]) for b in self.batch_ids], dtype=np.int64
        )
        self.by_kind: tuple[list[_Scope], list[_Scope], list[_Scope]] = (
            [_Scope()],
            [_Scope() for _ in self.channels],
            [_Scope() for _ in self.batch_ids],
        )
        self.starts = np.array([tallies[b].first_id for b in self.batch_ids], dtype=np.int64)
        self.contiguous = all(
            t.last_id - t.first_id + 1 == t.records for t in tallies.values() if t.records
        )

    def of(self, batch_index: int) -> tuple[_Scope, _Scope, _Scope]:
        """The scopes of a batch's records (by the batch's index)."""
        all_, channels, batches = self.by_kind
        return all_[0], channels[int(self.channel_of[batch_index])], batches[batch_index]

    def index(self, kind: int, batch_index: np.ndarray) -> np.ndarray:
        """The index, among scopes of ``kind``, of each batch index."""
        if kind == 0:
            return np.zeros_like(batch_index)
        return self.channel_of[batch_index] if kind == 1 else batch_index

    def batch_index(self, store: Store, record_ids: np.ndarray) -> np.ndarray:
        """The batch index of each record id (from the batches' id ranges)."""
        if self.contiguous or not len(record_ids):
            return np.searchsorted(self.starts, record_ids, side="right") - 1
        position = {b: i for i, b in enumerate(self.batch_ids)}
        of = dict(store.conn.execute("select id, batch_id from source_records"))
        return np.array([position[of[int(r)]] for r in record_ids], dtype=np.int64)


def compute(
    store: Store,
    *,
    today: date | None = None,
    settings: Settings | None = None,
    viewer: Actor = SYSTEM,
) -> Report:
    """The KPI report of the store as of ``today``, for ``viewer``.

    Raises:
        PermissionDenied: the viewer may not read the KPIs.

    Example:
        >>> report = compute(store)  # doctest: +SKIP
        >>> report.all.fields["mobile"].validity  # doctest: +SKIP
        0.97
    """
    require(viewer, "read_kpis")
    settings = settings or store.settings()
    today = today or date.today()
    batches = {
        int(b): str(c) for b, c in store.conn.execute("select id, channel from import_batches")
    }
    tallies = batch_tallies(store, sorted(batches))
    scopes = _Scopes(batches, tallies)
    for i, batch_id in enumerate(scopes.batch_ids):
        for scope in scopes.of(i):
            scope.total.add(tallies[batch_id])
            scope.untouched.add(tallies[batch_id])
    merged = _composite_customers(store, scopes)
    _open_proposals(store, scopes, merged, today)
    shared = workload(store.conn, today)
    dormant_days = int(settings["dormant_days"])
    all_, channels, batch_scopes = scopes.by_kind
    return Report(
        all=_kpis("all", all_[0], today, dormant_days, shared),
        channels={
            c: _kpis(f"channel:{c}", s, today, dormant_days, {})
            for c, s in zip(scopes.channels, channels, strict=True)
        },
        batches={
            b: _kpis(f"batch:{b}", s, today, dormant_days, {})
            for b, s in zip(scopes.batch_ids, batch_scopes, strict=True)
        },
    )


def _composite_customers(store: Store, scopes: _Scopes) -> np.ndarray:
    """Take the customers a decision touched (several records, or stored
    values) out of the record-level figures and count them as customers:
    a field is present if they have a stored value for it (or, with no
    stored values at all, if a record has one); their last activity is
    their records' latest.

    Returns the sorted ids of the records of customers with several records.
    """
    conn = store.conn
    conn.execute("drop table if exists temp.kpi_composite")
    # Only a customer a decision touched can have several members or stored
    # values (see migration 0007): read those, not every customer.
    conn.execute(
        "create temp table kpi_composite as select customer_id, size from ("
        "select c.id as customer_id, (select count(*) from customer_members m "
        "where m.customer_id = c.id) as size, exists (select 1 from customer_values v "
        "where v.customer_id = c.id) as valued from customers c indexed by idx_customers_touched "
        "where (c.created_by_decision is not null or c.version > 1) and c.status = 'active'"
        ") where size > 1 or (size = 1 and valued)"
    )
    present = ", ".join(f"s.[{f}_status] != 'missing'" for f in QUALITY_FIELDS)
    rows = conn.execute(
        f"select m.customer_id, m.record_id, k.size, "
        f"cast(julianday({ACTIVITY_SQL}) - 1721424.5 as integer), {present} "
        # CROSS JOIN fixes the loop order: the planner has no statistics on
        # the temp table and would otherwise scan every member of the store.
        "from temp.kpi_composite k cross join customer_members m on m.customer_id = k.customer_id "
        "cross join standardized s on s.record_id = m.record_id "
        "cross join source_records r on r.id = m.record_id "
        "cross join import_batches b on b.id = r.batch_id order by m.customer_id"
    ).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64)
    table = np.array(rows, dtype=np.int64)
    customer, record, size, day = table[:, 0], table[:, 1], table[:, 2], table[:, 3]
    flags = table[:, 4:]
    batch = scopes.batch_index(store, record)
    customers, starts = np.unique(customer, return_index=True)
    last = np.maximum.reduceat(day, starts)
    has = np.maximum.reduceat(flags, starts, axis=0)
    valued = conn.execute(
        "select distinct v.customer_id, v.field from customer_values v "
        "join temp.kpi_composite k on k.customer_id = v.customer_id"
    ).fetchall()
    if valued:
        column = {f: i for i, f in enumerate(QUALITY_FIELDS)}
        which = np.searchsorted(customers, np.array([c for c, _ in valued], dtype=np.int64))
        has[np.unique(which)] = 0  # stored values replace the records' values
        for (_, name), at in zip(valued, which, strict=True):
            if name in column:
                has[at, column[name]] = 1
    owner = np.searchsorted(customers, customer)  # each member's customer, by index
    several = size > 1
    for kind, group in enumerate(scopes.by_kind):
        where = scopes.index(kind, batch)
        _subtract(group, where, flags, day)
        flagged = np.bincount(where[several], minlength=len(group))
        keys = np.unique(owner * len(group) + where)  # (customer, scope) once each
        pair_customer, pair_scope = keys // len(group), keys % len(group)
        counts = np.bincount(pair_scope, minlength=len(group))
        fields = np.stack(
            [np.bincount(pair_scope, weights=has[pair_customer, i], minlength=len(group))
             for i in range(len(QUALITY_FIELDS))], axis=1,
        )  # fmt: skip
        for i, scope in enumerate(group):
            scope.flagged += int(flagged[i])
            scope.composite += int(counts[i])
            for j, f in enumerate(QUALITY_FIELDS):
                scope.composite_fields[f] += int(fields[i, j])
        for (s, d), n in _pair_counts(pair_scope, last[pair_customer]).items():
            group[s].composite_days[_day(d)] += n
    return np.sort(record[several])


def _subtract(group: list[_Scope], where: np.ndarray, flags: np.ndarray, day: np.ndarray) -> None:
    """Take some records (their scope index, present flags and activity day)
    out of the scopes' untouched tallies."""
    records = np.bincount(where, minlength=len(group))
    for i, scope in enumerate(group):
        scope.untouched.records -= int(records[i])
    for j, f in enumerate(QUALITY_FIELDS):
        sums = np.bincount(where, weights=flags[:, j], minlength=len(group))
        for i, scope in enumerate(group):
            scope.untouched.fields[f]["present"] -= int(sums[i])
    for (s, d), n in _pair_counts(where, day).items():
        group[s].untouched.activity[_day(d)] -= n


def _pair_counts(a: np.ndarray, b: np.ndarray) -> dict[tuple[int, int], int]:
    """How often each (a, b) pair occurs."""
    pairs, counts = np.unique(np.stack([a, b], axis=1), axis=0, return_counts=True)
    return {(int(x), int(y)): int(n) for (x, y), n in zip(pairs, counts, strict=True)}


def _ints(text: str) -> np.ndarray:
    """Comma-separated integers (a ``group_concat``) as an int64 array."""
    return np.array(text.split(","), dtype=np.int64) if text else np.zeros(0, dtype=np.int64)


def _day(ordinal: int) -> str:
    return date.fromordinal(int(ordinal)).isoformat()


def _open_proposals(store: Store, scopes: _Scopes, merged: np.ndarray, today: date) -> None:
    """Per scope: the open proposals by band (a proposal is in a scope if
    one of its records is), the review backlog's ages, and the records in
    an open proposal that are not already counted as merged."""
    conn = store.conn
    # Lean reads instead of one wide join, each column fetched as one
    # comma-separated string that numpy parses in C: at a million records
    # the row-by-row fetch was most of the dashboard's first render.
    ids_text, review_text, days_text = conn.execute(
        "select group_concat(id), group_concat(band = 'review'), "
        "group_concat(substr(created_at, 1, 10)) from "
        # a scan in id order beats the status index here: every open row is
        # read anyway, and the index would need a lookup and a sort per row
        "(select id, band, created_at from proposals not indexed where status = 'open' "
        "order by id)"
    ).fetchone()
    if not ids_text:
        return
    ids = _ints(ids_text)
    is_rev = _ints(review_text).astype(bool)
    made = np.array(days_text.split(","), dtype="datetime64[D]")
    ages = np.maximum((np.datetime64(today.isoformat(), "D") - made).astype(np.float64), 0.0)
    (members_text,) = conn.execute(
        "select group_concat(proposal_id * 4294967296 + record_id) from proposal_members "
        "where proposal_id in (select id from proposals where status = 'open')"
    ).fetchone()
    packed = _ints(members_text or "")
    pid, record = packed >> 32, packed & 0xFFFFFFFF
    at_prop = np.minimum(np.searchsorted(ids, pid), len(ids) - 1)
    known = ids[at_prop] == pid  # a proposal opened between the two reads waits for the next
    pid, record, at_prop = pid[known], record[known], at_prop[known]
    review, age = is_rev[at_prop].astype(np.int64), ages[at_prop]
    batch = scopes.batch_index(store, record)
    fresh = ~np.isin(record, merged)
    records, first = np.unique(record[fresh], return_index=True)
    fresh_batch = batch[fresh][first]
    span = int(pid.max()) + 1
    for kind, group in enumerate(scopes.by_kind):
        index = scopes.index(kind, batch)
        keys, at = np.unique(index * span + pid, return_index=True)
        owner = keys // span
        is_review = review[at] == 1
        auto = np.bincount(owner[~is_review], minlength=len(group))
        reviews = np.bincount(owner[is_review], minlength=len(group))
        flagged = np.bincount(scopes.index(kind, fresh_batch), minlength=len(group))
        order = np.lexsort((age[at][is_review], owner[is_review]))
        ages, owners = age[at][is_review][order], owner[is_review][order]
        bounds = np.searchsorted(owners, np.arange(len(group) + 1))
        for i, scope in enumerate(group):
            scope.open_proposals = {"auto": int(auto[i]), "review": int(reviews[i])}
            scope.flagged += int(flagged[i])
            scope.backlog_ages = ages[bounds[i] : bounds[i + 1]].tolist()
    del records


def _kpis(
    name: str,
    scope: _Scope,
    today: date,
    dormant_days: int,
    shared: dict[str, Any],
) -> Kpis:
    records = scope.total
    customers = scope.untouched.records + scope.composite
    fields = {}
    for f in QUALITY_FIELDS:
        c = records.fields[f]
        fields[f] = FieldKpi(
            completeness=_share(
                scope.untouched.fields[f]["present"] + scope.composite_fields[f], customers
            ),
            record_completeness=_share(c["present"], records.records),
            validity=_share(c["valid"], c["present"]),
            valid=c["valid"],
            partial=c["partial"],
            suspect=c["suspect"],
            invalid=c["invalid"],
            consistency=_share(c["same"], c["typed"]),
        )
    days = scope.untouched.activity + scope.composite_days
    within = {str(w): _share(_since(days, today - timedelta(days=w)), customers) for w in WINDOWS}
    backlog = scope.backlog_ages
    return Kpis(
        scope=name,
        as_of=today.isoformat(),
        records=records.records,
        customers=customers,
        fields=fields,
        duplicate_rate=_share(scope.flagged, records.records),
        open_proposals=dict(scope.open_proposals),
        timeliness=within,
        dormant_rate=_share(
            customers - _since(days, today - timedelta(days=dormant_days)), customers
        ),  # fmt: skip
        backlog=len(backlog),
        backlog_age_days=_ages(backlog),
        **shared,
    )


def _since(days: Counter[str], cut: date) -> int:
    first = cut.isoformat()
    return sum(n for day, n in days.items() if day >= first)


def _ages(ages: list[float]) -> dict[str, float]:
    if not ages:
        return {"median": 0.0, "oldest": 0.0}
    return {"median": round(ages[len(ages) // 2], 1), "oldest": round(ages[-1], 1)}


def _share(part: float, whole: float) -> float | None:
    """``part / whole`` to six places; None when there is no whole."""
    return round(part / whole, 6) if whole else None


def fields_table(kpis: Iterable[Kpis]) -> list[dict[str, Any]]:
    """One row per (scope, field): the table the dashboard shows and exports."""
    return [{"scope": k.scope, "field": f, **asdict(v)} for k in kpis for f, v in k.fields.items()]
