# ruff: noqa: T201  (a script: printing the figures is its job)
"""How fast the app answers on a big store: first render of each page, and
the time of an approve and a reject.

    .venv/bin/python bench/app_latency.py --records 1000000

Uses the store ``bench/check_latency.py`` builds (import + match of N
generated records), copied so the original stays untouched. Page times are
AppTest runs of the page script (the server-side work a browser waits
for), each page on a fresh session, so nothing is cached from an earlier
page; decisions are timed in core, as the page calls them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check_latency import store_copy  # noqa: E402
from core.actors import Actor  # noqa: E402
from core.ingest.tallies import batch_tallies  # noqa: E402
from core.stewardship.merge import approve, reject  # noqa: E402
from core.store import open_store  # noqa: E402
from core.users import add_user  # noqa: E402

PAGES = {"pages/home.py": "steward", "pages/queue.py": "steward", "pages/workbench.py": "steward",
         "pages/customers.py": "steward", "pages/check.py": "steward",
         "pages/import_data.py": "steward", "pages/dashboard.py": "manager",
         "pages/audit.py": "auditor", "pages/privacy.py": "admin"}  # fmt: skip
"""Each page, and the role that opens it."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_work"))
    ap.add_argument("--decisions", type=int, default=30)
    args = ap.parse_args()
    db = store_copy(args.records, args.workdir, "app")
    with open_store(db) as store:  # migrations (customers for every record) run here, once
        for role in set(PAGES.values()):
            add_user(store, f"bench-{role}", role, "bench-pass")
        # what every import now does as it commits (a store built by an older
        # version gets it here, before anything is timed)
        batch_tallies(store, [b for (b,) in store.conn.execute("select id from import_batches")])
        name = store.conn.execute(
            "select s.name from proposal_members m join standardized s "
            "on s.record_id = m.record_id join proposals p on p.id = m.proposal_id "
            "where p.status = 'open' limit 1"
        ).fetchone()[0]
    os.environ["STEWARD_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    print(f"| page, {args.records:,} records | first render |")
    print("|---|---|")
    for page, role in PAGES.items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.session_state["user"], at.session_state["role"] = f"bench-{role}", role
        at.run()  # registers the role's pages
        started = time.perf_counter()
        at.switch_page(page).run()
        if page == "pages/customers.py":
            at.text_input(key="c_query").input(name).run()
            at.button(key="c_open").click().run()
        seconds = time.perf_counter() - started
        failed = " (error)" if at.exception else ""
        print(f"| {page} | {seconds * 1000:.0f} ms{failed} |", flush=True)
    steward = Actor("bench-steward", "steward")
    times: dict[str, list[float]] = {"approve": [], "reject": []}
    with open_store(db) as store:
        rows = store.conn.execute(
            "select id, version from proposals where status = 'open' and band = 'review' "
            "order by id limit ?",
            (args.decisions * 2,),
        ).fetchall()
        for i, (pid, version) in enumerate(rows):
            kind = "approve" if i % 2 == 0 else "reject"
            started = time.perf_counter()
            (approve if kind == "approve" else reject)(store, pid, steward,
                                                       expected_version=version)  # fmt: skip
            times[kind].append((time.perf_counter() - started) * 1000)
    for kind, values in times.items():
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"| {kind}, {args.records:,} records | median {statistics.median(values):.0f} ms "
              f"| p95 {p95:.0f} ms | {len(values)} decisions |")  # fmt: skip


if __name__ == "__main__":
    main()
