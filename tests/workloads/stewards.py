"""Concurrent stewards: several processes deciding proposals and picking
values in one store file at the same time.

    .venv/bin/python bench/concurrency.py --workers 8 --ops 200   # the benchmark

Each worker is a real OS process with its own connection (``open_store``).
It repeatedly reads a proposal's or a customer's version, then approves,
rejects, claims or picks with that ``expected_version``. A
``ConflictError`` is a correct outcome: someone else was first. After the
run, :func:`examine` compares the store with what the workers reported and
counts what must never happen: "database is locked" errors, lost updates
(a success whose effect is missing, or a version that did not rise by
exactly the number of committed changes), decisions taken twice, audit
entries that do not match the operations committed, a broken audit chain.

Two modes:

* ``free``: each worker runs its own random sequence over a small hot set
  of proposals and customers, so workers collide often and at random
  moments;
* ``lockstep``: in every round all workers read the same object's version,
  wait at a barrier and then act on it together, so exactly one of them
  may succeed.

``bench/concurrency.py`` runs this workload and prints one Markdown table
row; ``tests/test_concurrency.py`` runs it smaller.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import sqlite3
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import trail
from core.actors import Actor
from core.clock import utc_now
from core.errors import (
    ConflictError,
    InputError,
    IntegrityError,
    PermissionDenied,
)
from core.ingest.importer import import_file
from core.matching.runs import run_match
from core.stewardship.customers import candidates, members_of
from core.stewardship.merge import approve, claim, reject
from core.stewardship.picks import pick
from core.store import open_store
from core.synthetic import generate_flat_csv

PROPOSAL_OPS = ("approve", "reject", "claim")
SINGLE_FIELDS = ("name", "company", "title", "address", "birth_date", "customer_type", "owner")
"""Fields a pick pins one value of (multi-valued fields keep several)."""

HEADER = (
    "| workers | ops/worker | mode | records | attempted | committed | conflicts | "
    "other typed errors | database is locked | lost updates | seconds |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def steward(worker: int) -> Actor:
    return Actor(f"steward{worker}", "steward")


@dataclass(frozen=True, slots=True)
class Step:
    """One planned operation. ``target`` 0: the worker picks one at run time."""

    op: str
    target: int = 0
    field: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempted operation did, as the worker saw it."""

    worker: int
    step: int
    op: str
    target: int
    seen_version: int
    seen_status: str
    result: str  # committed, held (a claim already held), conflict, input, denied, integrity, locked, error
    decision_id: int | None = None
    field: str = ""
    value: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class Workload:
    """The objects the workers contend for, and their state before the run."""

    proposals: tuple[int, ...]
    pool: dict[int, dict[str, list[str]]]  # customer -> field -> its members' values
    proposal_versions: dict[int, int]
    customer_versions: dict[int, int]
    audit_seq: int
    decision_id: int


@dataclass
class Figures:
    """The run's figures and every violation found."""

    workers: int
    ops: int
    mode: str
    records: int
    attempted: int = 0
    committed: int = 0
    conflicts: int = 0
    typed_other: int = 0
    locked: int = 0
    lost_updates: int = 0
    seconds: float = 0.0
    results: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (
            f"| {self.workers} | {self.ops} | {self.mode} | {self.records:,} | {self.attempted} "
            f"| {self.committed} | {self.conflicts} | {self.typed_other} | {self.locked} "
            f"| {self.lost_updates} | {self.seconds:.1f} |"
        )


# ---------------------------------------------------------------- the store


def build_store(path: Path, records: int, seed: int = 5) -> Path:
    """Import ``records`` generated rows into a new store at ``path`` and match them."""
    flat = generate_flat_csv(path.with_suffix(".csv"), records=records, seed=seed)
    with open_store(path) as store:
        import_file(store, flat, source="官网表单", actor=Actor("loader", "system"),
                    id_column="record_id", stage=False, today="2026-06-30")  # fmt: skip
        run_match(store)
    return path


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy through SQLite's backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def prepare(path: Path, *, hot: int, pool: int, seed: int = 1) -> Workload:
    """Merge ``pool`` proposals of three or more records beforehand (their
    customers, with several values per field, are what workers pick in),
    and choose ``hot`` other open proposals for the workers to decide."""
    rnd = random.Random(seed)
    setup = Actor("setup", "steward")
    with open_store(path) as store:
        conn = store.conn
        big = conn.execute(
            "select id, version from proposals where status = 'open' and size >= 3 order by id"
        ).fetchall()
        chosen = rnd.sample(big, min(pool, len(big)))
        customers = [
            approve(store, pid, setup, expected_version=v, note="setup").customer_id
            for pid, v in chosen
        ]
        values: dict[int, dict[str, list[str]]] = {}
        for cid in customers:
            assert cid is not None
            held: dict[str, set[str]] = defaultdict(set)
            for c in candidates(conn, members_of(conn, cid)):
                if c.field in SINGLE_FIELDS:
                    held[c.field].add(c.value)
            values[cid] = {f: sorted(v) for f, v in held.items() if len(v) >= 2}
            if not values[cid]:  # one value per field: a pick still changes the pin
                values[cid] = {f: sorted(v) for f, v in held.items()}
        values = {c: v for c, v in values.items() if v}
        open_ids = [int(r[0]) for r in conn.execute(
            "select id from proposals where status = 'open' order by id"
        )]  # fmt: skip
        proposals = tuple(sorted(rnd.sample(open_ids, min(hot, len(open_ids)))))
        return Workload(
            proposals=proposals,
            pool=values,
            proposal_versions=_versions(conn, "proposals", proposals),
            customer_versions=_versions(conn, "customers", list(values)),
            audit_seq=_top(conn, "select coalesce(max(seq), 0) from audit_log"),
            decision_id=_top(conn, "select coalesce(max(id), 0) from decisions"),
        )


def _top(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _versions(conn: sqlite3.Connection, table: str, ids: Any) -> dict[int, int]:
    ids = list(ids)
    marks = ",".join("?" * len(ids)) or "null"
    rows = conn.execute(f"select id, version from {table} where id in ({marks})", ids).fetchall()
    return {int(i): int(v) for i, v in rows}


# ---------------------------------------------------------------- plans


def free_plan(workload: Workload, workers: int, ops: int, seed: int = 2) -> list[list[Step]]:
    """Each worker its own random sequence of operations; targets are
    chosen at run time among the hot set."""
    rnd = random.Random(seed)
    weights = {"approve": 35, "reject": 20, "claim": 15, "pick": 30}
    kinds, w = list(weights), list(weights.values())
    return [[Step(op) for op in rnd.choices(kinds, w, k=ops)] for _ in range(workers)]


def lockstep_plan(workload: Workload, workers: int, rounds: int, seed: int = 3) -> list[list[Step]]:
    """Rounds in which every worker acts on the same object: a proposal
    (each worker approves, rejects or claims it) or a pool customer (each
    picks a value). Most proposal rounds take a proposal no round took
    before; some go back to one (decided or claimed by then)."""
    rnd = random.Random(seed)
    fresh = list(workload.proposals)
    rnd.shuffle(fresh)
    used: list[int] = []
    plans: list[list[Step]] = [[] for _ in range(workers)]
    for _ in range(rounds):
        if rnd.random() < 0.35:
            cid = rnd.choice(sorted(workload.pool))
            for plan in plans:
                name = rnd.choice(sorted(workload.pool[cid]))
                plan.append(Step("pick", cid, name, rnd.choice(workload.pool[cid][name])))
            continue
        if used and (not fresh or rnd.random() < 0.2):
            target = rnd.choice(used)
        else:
            target = fresh.pop()
            used.append(target)
        for plan in plans:
            plan.append(Step(rnd.choices(PROPOSAL_OPS, (45, 30, 25))[0], target))
    return plans


# ---------------------------------------------------------------- workers


def worker(
    index: int,
    path: str,
    steps: list[Step],
    workload: Workload,
    lockstep: bool,
    barrier: Any,
    results: Any,
    seed: int,
    think: float = 0.0,
) -> None:
    """Run ``steps`` as steward ``index``; put ``(index, t0, t1, outcomes)``
    on ``results``. In lockstep, every step is read → barrier → act → barrier;
    otherwise a steward thinks up to ``think`` seconds between reading and
    acting (not a synchronisation: it widens the window in which another
    worker may change the object)."""
    rnd = random.Random(seed * 1000 + index)
    actor = steward(index)
    outcomes: list[Outcome] = []
    t0 = t1 = time.time()
    try:
        with open_store(path) as store:
            barrier.wait(timeout=120)
            t0 = time.time()
            for number, step in enumerate(steps):
                step, version, status = _read(store.conn, step, workload, rnd)
                if lockstep:
                    barrier.wait(timeout=120)
                elif think:
                    time.sleep(rnd.uniform(0, think))
                outcomes.append(_act(store, actor, index, number, step, version, status))
                if lockstep:
                    barrier.wait(timeout=120)
            t1 = time.time()
    except BaseException as exc:  # the parent reports whatever stopped a worker
        barrier.abort()
        outcomes.append(Outcome(index, len(outcomes), "worker", 0, 0, "", "error",
                                message=f"worker stopped: {exc!r}"))  # fmt: skip
        t1 = time.time()
    results.put((index, t0, t1, outcomes))


def _read(
    conn: sqlite3.Connection, step: Step, workload: Workload, rnd: random.Random
) -> tuple[Step, int, str]:
    """The step with its target, and the target's version and status as read now."""
    if step.target == 0 and step.op in PROPOSAL_OPS:
        marks = ",".join("?" * len(workload.proposals))
        open_ids = [int(r[0]) for r in conn.execute(
            f"select id from proposals where status = 'open' and id in ({marks})",
            workload.proposals,
        ).fetchall()]  # fmt: skip
        step = Step(step.op, rnd.choice(open_ids)) if open_ids else Step("pick")
    if step.target == 0:
        cid = rnd.choice(sorted(workload.pool))
        name = rnd.choice(sorted(workload.pool[cid]))
        step = Step("pick", cid, name, rnd.choice(workload.pool[cid][name]))
    table = "customers" if step.op == "pick" else "proposals"
    version, status = conn.execute(
        f"select version, status from {table} where id = ?", (step.target,)
    ).fetchone()
    return step, int(version), str(status)


def _act(
    store: Any, actor: Actor, index: int, number: int, step: Step, version: int, status: str
) -> Outcome:
    def done(result: str, decision: int | None = None, message: str = "") -> Outcome:
        return Outcome(index, number, step.op, step.target, version, status, result, decision,
                       step.field, step.value, message)  # fmt: skip

    try:
        if step.op == "approve":
            decided = approve(store, step.target, actor, expected_version=version)
        elif step.op == "reject":
            decided = reject(store, step.target, actor, expected_version=version)
        elif step.op == "pick":
            decided = pick(store, step.target, step.field, step.value, actor,
                           expected_version=version)  # fmt: skip
        else:
            # a claim one already holds, unexpired, changes nothing and writes no entry
            by, until = store.conn.execute(
                "select claimed_by, claimed_until from proposals where id = ?", (step.target,)
            ).fetchone()
            held = by == actor.username and bool(until) and until > utc_now()
            claim(store, step.target, actor)
            return done("held" if held else "committed")
    except ConflictError as exc:
        return done("conflict", message=str(exc))
    except InputError as exc:
        return done("input", message=str(exc))
    except PermissionDenied as exc:
        return done("denied", message=str(exc))
    except IntegrityError as exc:
        return done("integrity", message=str(exc))
    except sqlite3.OperationalError as exc:
        text = str(exc)
        return done("locked" if "locked" in text or "busy" in text else "error", message=text)
    except Exception as exc:  # any other exception is a bug; it is reported, not hidden
        return done("error", message=repr(exc))
    return done("committed", decided.decision_id)


def run(
    path: Path,
    plans: list[list[Step]],
    workload: Workload,
    *,
    lockstep: bool,
    start_method: str = "spawn",
    seed: int = 4,
    think: float = 0.0,
    timeout: float = 600,
) -> tuple[list[Outcome], float]:
    """Run one process per plan at once; returns every outcome and the
    seconds from the common start to the last worker's end."""
    ctx = mp.get_context(start_method)
    barrier = ctx.Barrier(len(plans))
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=worker,
            args=(i, str(path), plan, workload, lockstep, barrier, results, seed, think),
        )  # fmt: skip
        for i, plan in enumerate(plans)
    ]
    for p in procs:
        p.start()
    reports = []
    try:
        for _ in procs:
            reports.append(results.get(timeout=timeout))
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
                p.join()
    outcomes = [o for _, _, _, out in sorted(reports, key=lambda r: r[0]) for o in out]
    seconds = max(r[2] for r in reports) - min(r[1] for r in reports)
    return outcomes, seconds


# ---------------------------------------------------------------- checks


def examine(
    path: Path,
    workload: Workload,
    outcomes: list[Outcome],
    figures: Figures,
    *,
    others: bool = False,
) -> Figures:
    """Compare the store with the outcomes; fill in ``figures``.

    ``others``: jobs other than the stewards wrote meanwhile (match runs,
    password guesses). Then only the stewards' own audit entries are
    counted, and a proposal no steward decided may have been refreshed or
    superseded by a match run; everything a steward was told stays checked
    as strictly as without them."""  # fmt: skip
    results = Counter(o.result for o in outcomes)
    figures.results = results
    figures.attempted = len(outcomes)
    figures.committed = results["committed"]
    figures.conflicts = results["conflict"]
    figures.typed_other = results["input"] + results["denied"] + results["integrity"]
    figures.locked = results["locked"]
    bad = figures.violations
    for o in outcomes:
        if o.result in ("error", "locked", "integrity"):
            bad.append(f"{o.result}: steward{o.worker} {o.op} {o.target}: {o.message}")
    ok = [o for o in outcomes if o.result == "committed"]
    with open_store(path) as store:
        conn = store.conn
        figures.records = store.count("source_records")
        lost = 0
        lost += _check_proposals(conn, workload, ok, bad, others)
        lost += _check_customers(conn, workload, ok, bad)
        _check_audit(conn, workload, ok, bad, others)
        _check_members(conn, bad)
        check = trail.verify(conn)
        if not check.ok:
            bad.append(f"audit chain broken at entry {check.bad_seq}: {check.problem}")
        integrity = conn.execute("pragma integrity_check").fetchall()
        if integrity != [("ok",)]:
            bad.append(f"integrity_check: {integrity[:5]}")
    figures.lost_updates = lost
    return figures


def _check_proposals(
    conn: sqlite3.Connection,
    workload: Workload,
    ok: list[Outcome],
    bad: list[str],
    others: bool = False,
) -> int:
    """Each proposal decided at most once, by the one worker told it
    succeeded, with its version up by exactly one; returns lost updates."""
    lost = 0
    decisions = {int(r[0]): r for r in conn.execute(
        "select id, kind, proposal_id, actor, customer_id from decisions where id > ?",
        (workload.decision_id,),
    ).fetchall()}  # fmt: skip
    decided = [o for o in ok if o.op in ("approve", "reject")]
    by_proposal: dict[int, list[Outcome]] = defaultdict(list)
    for o in decided:
        by_proposal[o.target].append(o)
    for pid, wins in by_proposal.items():
        if len(wins) > 1:
            bad.append(f"proposal {pid} decided {len(wins)} times: "
                       f"{[(w.op, w.worker) for w in wins]}")  # fmt: skip
    kind = {"approve": "merge", "reject": "reject"}
    for o in decided:
        row = decisions.get(o.decision_id or -1)
        if row is None or (row[1], row[2], row[3]) != (kind[o.op], o.target, f"steward{o.worker}"):
            lost += 1
            bad.append(f"lost: steward{o.worker} {o.op} {o.target} reported decision "
                       f"{o.decision_id}, stored {row}")  # fmt: skip
    reported = {o.decision_id for o in ok}
    for did, row in decisions.items():
        if did not in reported:
            bad.append(f"decision {did} {tuple(row)} committed but no worker was told so")
    per_proposal = Counter(int(r[2]) for r in decisions.values() if r[2] is not None)
    for pid, n in per_proposal.items():
        if n > 1:
            bad.append(f"proposal {pid} has {n} decision rows")
    for pid, before in workload.proposal_versions.items():
        status, version, claimed_by = conn.execute(
            "select status, version, claimed_by from proposals where id = ?", (pid,)
        ).fetchone()
        wins = by_proposal.get(pid, [])
        if others and not wins and status in ("open", "superseded"):
            continue  # a match run may refresh or supersede an undecided proposal
        # a match run may also refresh one (version + 1) before a steward decides it
        refreshed = others and int(version) - before > len(wins)
        if int(version) - before != len(wins) and not refreshed:
            lost += abs(int(version) - before - len(wins))
            bad.append(f"proposal {pid}: version {before} -> {version} after {len(wins)} decisions")
        expect = {"approve": "approved", "reject": "rejected"}[wins[0].op] if wins else "open"
        if status != expect:
            bad.append(f"proposal {pid} is {status}, the workers report {expect}")
        if status == "approved":
            members = [int(r[0]) for r in conn.execute(
                "select record_id from proposal_members where proposal_id = ?", (pid,)
            ).fetchall()]  # fmt: skip
            owners = {int(r[0]) for r in conn.execute(
                f"select customer_id from customer_members where record_id in "
                f"({','.join('?' * len(members))})", members,
            ).fetchall()}  # fmt: skip
            if len(owners) != 1:
                lost += 1
                bad.append(f"approved proposal {pid}: its records are in customers {owners}")
        claimers = {f"steward{o.worker}" for o in ok if o.op == "claim" and o.target == pid}
        if len(claimers) > 1:
            bad.append(f"proposal {pid} claimed by {sorted(claimers)} at once")
        if claimers and claimed_by not in claimers:
            lost += 1
            bad.append(f"proposal {pid} claimed by {claimed_by}, reported {sorted(claimers)}")
    return lost


def _check_customers(
    conn: sqlite3.Connection, workload: Workload, ok: list[Outcome], bad: list[str]
) -> int:
    """Each pool customer's version rose by its committed picks, and the last
    pick of each field is the pinned value; returns lost updates."""
    lost = 0
    picks = sorted((o for o in ok if o.op == "pick"), key=lambda o: o.decision_id or 0)
    for cid, before in workload.customer_versions.items():
        mine = [o for o in picks if o.target == cid]
        version = int(conn.execute("select version from customers where id = ?", (cid,))
                      .fetchone()[0])  # fmt: skip
        if version - before != len(mine):
            lost += abs(version - before - len(mine))
            bad.append(f"customer {cid}: version {before} -> {version} after {len(mine)} picks")
        last = {o.field: o.value for o in mine}
        for name, value in last.items():
            stored = [r[0] for r in conn.execute(
                "select value from customer_values where customer_id = ? and field = ? "
                "and rule = 'manual' and is_primary = 1", (cid, name),
            ).fetchall()]  # fmt: skip
            if stored != [value]:
                lost += 1
                bad.append(f"customer {cid}: {name} pinned {stored}, last pick was {value!r}")
    return lost


def _check_audit(
    conn: sqlite3.Connection,
    workload: Workload,
    ok: list[Outcome],
    bad: list[str],
    others: bool = False,
) -> None:
    """One audit entry per committed operation, naming its decision (with
    ``others``: counting the stewards' own entries only)."""
    action = {"approve": "merge", "reject": "reject", "pick": "pick", "claim": "claim"}
    want = Counter(action[o.op] for o in ok)
    mine = " and actor like 'steward%'" if others else ""
    rows = conn.execute(
        f"select action, object_ids from audit_log where seq > ?{mine}", (workload.audit_seq,)
    ).fetchall()
    have = Counter(str(r[0]) for r in rows)
    if have != want:
        bad.append(f"audit entries {dict(have)} != committed operations {dict(want)}")
    named = {d for _, ids in rows for d in json.loads(ids).get("decision", [])}
    missing = sorted(o.decision_id for o in ok if o.decision_id and o.decision_id not in named)
    if missing:
        bad.append(f"decisions without an audit entry: {missing[:10]}")


def _check_members(conn: sqlite3.Connection, bad: list[str]) -> None:
    """Every record in exactly one active customer; retired customers empty."""
    homeless = conn.execute(
        "select count(*) from source_records r left join customer_members m "
        "on m.record_id = r.id left join customers c on c.id = m.customer_id "
        "where c.status is not 'active'"
    ).fetchone()[0]
    if homeless:
        bad.append(f"{homeless} records are not in an active customer")
    haunted = conn.execute(
        "select count(distinct c.id) from customers c join customer_members m "
        "on m.customer_id = c.id where c.status = 'retired'"
    ).fetchone()[0]
    if haunted:
        bad.append(f"{haunted} retired customers still have records")
    empty = conn.execute(
        "select count(*) from customers c where c.status = 'active' and not exists "
        "(select 1 from customer_members m where m.customer_id = c.id)"
    ).fetchone()[0]
    if empty:
        bad.append(f"{empty} active customers have no records")
