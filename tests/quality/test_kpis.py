"""KPIs: known answers on a store built by hand, and agreement with a
naive recount over every table after random stewardship."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.actors import Actor
from core.clock import utc_now
from core.errors import ConflictError, InputError
from core.quality.kpis import compute
from core.stewardship.customers import customer_of
from core.stewardship.merge import approve, reject
from core.stewardship.moves import attach, detach
from core.stewardship.picks import edit
from core.stewardship.unmerge import unmerge
from core.targets import PATHS

WANG = Actor("wang.fang", "steward")
TODAY = date(2026, 12, 1)


def record(store, source_id):
    return store.conn.execute(
        "select id from source_records where source_record_id = ?", (source_id,)
    ).fetchone()[0]


def test_record_level_figures_match_the_data_by_construction(known):
    report = compute(known, today=TODAY)
    k = report.all
    assert (k.records, k.customers) == (12, 12)
    mobile = k.fields["mobile"]
    assert mobile.record_completeness == round(9 / 12, 6)
    assert (mobile.valid, mobile.invalid + mobile.suspect) == (6, 3)
    assert mobile.validity == round(6 / 9, 6)
    assert mobile.consistency == round(2 / 9, 6)  # only the two typed as +86…
    email = k.fields["email"]
    assert (email.record_completeness, email.validity) == (round(5 / 12, 6), round(4 / 5, 6))
    assert k.timeliness == {"90": round(4 / 12, 6), "180": round(6 / 12, 6),
                            "365": round(8 / 12, 6)}  # fmt: skip
    assert k.dormant_rate == round(4 / 12, 6)  # dormant_days defaults to 365
    assert k.duplicate_rate == 0.0 and k.backlog == 0
    a, b = report.channels["官网表单"], report.channels["门店登记"]
    assert (a.records, b.records) == (8, 4)
    assert a.fields["mobile"].validity == round(4 / 6, 6)
    assert b.fields["mobile"].validity == round(2 / 3, 6)
    assert [k.records for k in report.batches.values()] == [8, 4]


def test_a_field_nobody_filled_in_is_not_measured_rather_than_zero(known):
    company = compute(known, today=TODAY).all.fields["company"]
    assert (company.completeness, company.validity, company.consistency) == (0.0, None, None)


def test_customer_figures_follow_the_merged_customers(known):
    # a2 (no e-mail, contacted 2026-10-01) joins a1 (e-mail, 2026-11-20)
    a1, a2, a7 = (record(known, s) for s in ("a1", "a2", "a7"))
    attach(known, a2, customer_of(known.conn, a1), WANG)
    k = compute(known, today=TODAY).all
    assert (k.records, k.customers) == (12, 11)
    # customers with an e-mail: the a1+a2 customer, a3, a4, b1, b2
    assert k.fields["email"].completeness == round(5 / 11, 6)
    assert k.fields["email"].record_completeness == round(5 / 12, 6)
    assert k.timeliness["90"] == round(3 / 11, 6)  # a1+a2 counts once, by its latest
    assert k.duplicate_rate == round(2 / 12, 6)
    # the stewardship figures count the decision on the day it was made
    decided_on = date.fromisoformat(utc_now()[:10])
    work = compute(known, today=decided_on).all
    assert work.decisions_per_day == {decided_on.isoformat(): 1}
    assert work.decisions_per_steward == {"wang.fang": 1}
    assert compute(known, today=decided_on - timedelta(days=1)).all.decisions_per_day == {}
    # a steward's edit gives a7's customer an e-mail it had no record of
    edit(known, customer_of(known.conn, a7), "email", "yang.lei@163.com", WANG, reason="来电")
    k = compute(known, today=TODAY).all
    assert k.fields["email"].completeness == round(6 / 11, 6)
    assert k.fields["email"].record_completeness == round(5 / 12, 6)


def test_a_customer_spanning_two_channels_counts_in_each(known):
    a1, b1 = record(known, "a1"), record(known, "b1")
    attach(known, b1, customer_of(known.conn, a1), WANG)
    report = compute(known, today=TODAY)
    assert report.channels["官网表单"].customers == 8
    assert report.channels["门店登记"].customers == 4
    assert report.all.customers == 11
    assert report.channels["门店登记"].duplicate_rate == round(1 / 4, 6)


def test_open_proposals_count_in_the_duplicate_rate_and_the_backlog(known):
    a3, a4, b3 = (record(known, s) for s in ("a3", "a4", "b3"))
    made = (TODAY - timedelta(days=10)).isoformat() + "T09:00:00+00:00"
    with known.write() as db:
        run = db.execute(
            "insert into match_runs (started_at, model_version, params) values (?, 'm', '{}')",
            [made],
        ).lastrowid
        for pid, band, members in ((1, "review", (a3, a4)), (2, "auto", (a4, b3))):
            db.execute(
                "insert into proposals (id, run_id, band, score, size, created_at) "
                "values (?, ?, ?, 0.9, 2, ?)",
                [pid, run, band, made],
            )
            for r in members:
                db.execute("insert into proposal_members values (?, ?)", [pid, r])
    report = compute(known, today=TODAY)
    k = report.all
    assert k.open_proposals == {"auto": 1, "review": 1} and k.backlog == 1
    assert k.backlog_age_days == {"median": 10.0, "oldest": 10.0}
    assert k.duplicate_rate == round(3 / 12, 6)  # a4 is in both, counted once
    assert report.channels["门店登记"].open_proposals == {"auto": 1, "review": 0}
    assert report.channels["门店登记"].backlog == 0


def test_every_path_resolves_to_a_figure_or_to_not_measured(known):
    k = compute(known, today=TODAY).all
    assert k.value("fields.mobile.validity") == round(6 / 9, 6)
    assert k.value("records") == 12.0
    assert k.value("no.such.path") is None
    unmeasured = {p for p in PATHS if k.value(p) is None}
    empty = {f for f, v in k.fields.items() if v.record_completeness == 0}
    assert unmeasured == {f"fields.{f}.{m}" for f in empty for m in ("validity", "consistency")} | {
        "median_decision_hours", "overturn_rate", "merge_precision"}  # fmt: skip
    mobile = json.loads(json.dumps(k.to_json()))["fields"]["mobile"]
    assert mobile["invalid"] + mobile["suspect"] == 3


def test_overturn_rate_counts_merges_later_unmerged(matched):
    pids = [p for (p,) in matched.conn.execute(
        "select id from proposals where status = 'open' order by id limit 3")]  # fmt: skip
    done = [approve(matched, p, WANG) for p in pids]
    unmerge(matched, done[0].customer_id, WANG)
    k = compute(matched, today=TODAY).all
    assert k.overturn_rate == round(1 / 3, 6)


# -- agreement with a naive recount -------------------------------------------------


def naive(store, today, dormant_days=365):
    """Every customer-level KPI recomputed the slow, obvious way."""
    conn = store.conn
    fields = ["name", "mobile", "email", "address", "company"]
    rec = {}
    for row in conn.execute(
        "select r.id, r.channel, s.name_status, s.mobile_status, s.email_status, "
        "s.address_status, s.company_status, s.updated_at, s.last_contact_at, s.created_at, "
        "b.imported_at from source_records r join standardized s on s.record_id = r.id "
        "join import_batches b on b.id = r.batch_id"
    ):
        latest = max(row[7], row[8])[:10] or row[9][:10] or row[10][:10]
        rec[row[0]] = {"channel": row[1], "present": dict(zip(fields, row[2:7], strict=True)),
                       "day": latest}  # fmt: skip
    members = defaultdict(list)
    for r, c in conn.execute("select record_id, customer_id from customer_members"):
        members[c].append(r)
    stored = defaultdict(set)
    for c, f in conn.execute("select customer_id, field from customer_values"):
        stored[c].add(f)
    open_members = {r for (r,) in conn.execute(
        "select pm.record_id from proposal_members pm join proposals p on p.id = pm.proposal_id "
        "where p.status = 'open'")}  # fmt: skip
    out = {}
    for scope in ["all", *sorted({v["channel"] for v in rec.values()})]:
        inside = {r for r, v in rec.items() if scope == "all" or v["channel"] == scope}
        custs = [c for c, rs in members.items() if set(rs) & inside]
        complete = {}
        for f in fields:
            has = 0
            for c in custs:
                if stored[c]:
                    has += f in stored[c]
                else:
                    has += any(rec[r]["present"][f] != "missing" for r in members[c])
            complete[f] = round(has / len(custs), 6)
        last = [max(rec[r]["day"] for r in members[c]) for c in custs]
        cut = (today - timedelta(days=dormant_days)).isoformat()
        merged = {r for c, rs in members.items() if len(rs) > 1 for r in rs}
        flagged = (merged | open_members) & inside
        out[scope] = {
            "customers": len(custs),
            "completeness": complete,
            "dormant": round(sum(d < cut for d in last) / len(custs), 6),
            "duplicate_rate": round(len(flagged) / len(inside), 6),
        }
    return out


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.sampled_from(["approve", "reject", "attach", "detach",
                                                 "edit"]), st.integers(0, 10_000)),
                      min_size=1, max_size=8))  # fmt: skip
def test_kpis_agree_with_a_naive_recount_after_any_decisions(matched_template, tmp_path, steps):
    import shutil

    from core.store import open_store

    path = tmp_path / f"k{abs(hash(tuple(steps)))}.db"
    shutil.copy(matched_template, path)
    with open_store(path) as store:
        conn = store.conn
        for action, n in steps:
            opened = [p for (p,) in conn.execute(
                "select id from proposals where status = 'open' order by id")]  # fmt: skip
            active = [c for (c,) in conn.execute(
                "select id from customers where status = 'active' order by id")]  # fmt: skip
            several = [
                c
                for (c,) in conn.execute(
                    "select customer_id from customer_members group by 1 having count(*) > 1"
                )
            ]
            if action in ("approve", "reject") and opened:
                p = opened[n % len(opened)]
                try:
                    (approve if action == "approve" else reject)(store, p, WANG)
                except (ConflictError, InputError):  # refused: e.g. made stale by a move
                    continue
            elif action == "attach" and len(active) > 1:
                target = active[n % len(active)]
                loner = active[(n * 7 + 1) % len(active)]
                if loner != target:
                    r = conn.execute("select record_id from customer_members where customer_id = ?"
                                     " limit 1", (loner,)).fetchone()[0]  # fmt: skip
                    attach(store, r, target, WANG)
            elif action == "detach" and several:
                c = several[n % len(several)]
                r = conn.execute("select record_id from customer_members where customer_id = ? "
                                 "order by record_id limit 1", (c,)).fetchone()[0]  # fmt: skip
                detach(store, r, WANG)
            elif action == "edit" and active:
                edit(store, active[n % len(active)], "email", f"x{n}@163.com", WANG,
                     reason="test")  # fmt: skip
        report = compute(store, today=TODAY)
        expected = naive(store, TODAY)
        for scope, want in expected.items():
            got = report.all if scope == "all" else report.channels[scope]
            assert got.customers == want["customers"], scope
            for f, share in want["completeness"].items():
                assert got.fields[f].completeness == share, (scope, f)
            assert got.dormant_rate == want["dormant"], scope
            assert got.duplicate_rate == want["duplicate_rate"], scope
