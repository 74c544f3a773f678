# ruff: noqa: T201  (a script: printing the table is its job)
"""Benchmark dedupe systems on synthetic CRM data and FEBRL1-3.

    make bench   # or: .venv-bench/bin/python bench/run.py --only splink --sizes 15000 --febrl

Each (dataset, system) runs in its own subprocess; wall time is measured around it
(start-up, imports and cleaning included) and peak memory is that child's
ru_maxrss from os.wait4, so DuckDB's native allocations count. Both come from
bench/harness.py, which spawns each system through a small launcher so that the
harness's own memory is not counted. Prints one Markdown table row per
(dataset, system).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.febrl import FEBRL_MAP, load_febrl  # noqa: E402
from bench.harness import MAIN_PYTHON, ROOT, generate_crm, run_measured  # noqa: E402
from bench.metrics import pairwise_scores  # noqa: E402


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: str  # "crm" or "febrl"
    input_csv: Path
    truth: dict[str, str]
    size: int = 0


def splink_command(ds: Dataset, out: Path) -> list[str]:
    """Command that runs Splink on `ds` in this interpreter, writing record_id,cluster_id."""
    return [sys.executable, __file__, "--worker", ds.kind, str(ds.input_csv), str(out)]


def project_command(ds: Dataset, out: Path) -> list[str]:
    """Command that runs our own engine (main venv) on `ds`."""
    cmd = [
        str(MAIN_PYTHON),
        "-m",
        "core",
        "dedupe",
        str(ds.input_csv),
        "--out",
        str(out),
        "--id-column",
        "record_id",
    ]
    if ds.kind == "febrl":
        for m in FEBRL_MAP:
            cmd += ["--map", m]
    return cmd


SYSTEMS: dict[str, Callable[[Dataset, Path], list[str]]] = {
    "splink": splink_command,
    "project": project_command,
}


def worker(kind: str, input_csv: str, out_csv: str) -> None:
    """Subprocess entry point: Splink on one CSV, clusters written as CSV."""
    from bench.splink_runner import run_splink

    df = pd.read_csv(input_csv, dtype=str, keep_default_na=False, na_values=[""])
    clusters = run_splink(df, kind="crm" if kind == "crm" else "febrl")
    pd.DataFrame({"record_id": list(clusters), "cluster_id": list(clusters.values())}).to_csv(
        out_csv, index=False
    )


def crm_dataset(records: int, seed: int, workdir: Path) -> Dataset:
    """Generate (once) a synthetic CRM file with the project's generator."""
    path, truth = generate_crm(records, seed, workdir)
    return Dataset(f"crm-{records // 1000}k-s{seed}", "crm", path, truth, records)


def febrl_dataset(number: int, workdir: Path) -> Dataset:
    df, truth = load_febrl(number)
    path = workdir / f"febrl{number}.csv"
    df.to_csv(path, index=False)
    return Dataset(f"febrl{number}", "febrl", path, truth)


def run_one(ds: Dataset, system: str, workdir: Path) -> tuple[str, float | None]:
    """Run one system on one dataset; return its Markdown row and wall seconds
    (None when it failed)."""
    out = workdir / f"{ds.name}.{system}.clusters.csv"
    out.unlink(missing_ok=True)
    run = run_measured(SYSTEMS[system](ds, out), workdir / f"{ds.name}.{system}.log")
    if not run.ok or not out.exists():
        return f"| {ds.name} | {system} | not available (see {run.log}) | | | | | |", None
    c = pd.read_csv(out, dtype=str)
    s = pairwise_scores(dict(zip(c.record_id, c.cluster_id, strict=True)), ds.truth)
    return (
        f"| {ds.name} | {system} | {s.f1:.4f} | {s.precision:.4f} | {s.recall:.4f} "
        f"| {run.seconds:.1f} | {run.peak_rss_mb:.0f} |"
    ), run.seconds


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated systems (default: all)")
    ap.add_argument(
        "--sizes", default="15000", help="CRM record counts, comma-separated; '' for none"
    )
    ap.add_argument("--seeds", default="42,7", help="generator seeds, comma-separated")
    ap.add_argument(
        "--project-only-sizes", default="", help="CRM sizes run without Splink (e.g. 1000000)"
    )
    ap.add_argument("--febrl", action="store_true", help="also run FEBRL1-3")
    ap.add_argument(
        "--ceiling-max", type=int, default=20_000,
        help="CRM sizes up to this also get the supervised upper bound (bench/ceiling.py)",
    )  # fmt: skip
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_work"))
    args = ap.parse_args()
    systems = args.only.split(",") if args.only else list(SYSTEMS)
    args.workdir.mkdir(parents=True, exist_ok=True)
    print("| dataset | system | F1 | precision | recall | seconds | peak RSS MB | time / Splink |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    seeds = [int(x) for x in args.seeds.split(",") if x]
    jobs = [(crm_dataset(int(n), seed, args.workdir), systems)
            for seed in seeds for n in args.sizes.split(",") if n]  # fmt: skip
    jobs += [(crm_dataset(int(n), seeds[0], args.workdir), ["project"])
             for n in args.project_only_sizes.split(",") if n]  # fmt: skip
    jobs += [(febrl_dataset(i, args.workdir), systems) for i in (1, 2, 3)] if args.febrl else []
    for ds, chosen in jobs:
        times: dict[str, float | None] = {}
        for system in chosen:
            row, times[system] = run_one(ds, system, args.workdir)
            ratio = ""
            if system == "project" and times.get("splink") and times["project"]:
                ratio = f"{times['project'] / times['splink']:.2f}"  # type: ignore[operator]
            print(row + f" {ratio} |", flush=True)
        if ds.kind == "crm" and ds.size <= args.ceiling_max and "project" in chosen:
            ceiling = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "ceiling.py"), str(ds.input_csv)],
                cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            lines = ceiling.stdout.strip().splitlines()
            print(
                lines[-1]
                if ceiling.returncode == 0 and lines
                else f"| {ds.name} | supervised upper bound | not available |",
                flush=True,
            )


if __name__ == "__main__":
    main()
