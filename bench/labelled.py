# ruff: noqa: T201  (a script: printing the table is its job)
"""Matching on labelled data sets: the project's engine side by side with Splink.

    make bench   # or: .venv-bench/bin/python bench/labelled.py [--only splink|project]
                 #        [--datasets persons_fake_1000,febrl4,...]

For each data set, each system runs in its own subprocess (bench/harness.py: wall
time around the process, peak RSS from os.wait4) and writes its clusters and every
candidate pair its blocking generated. One Markdown row per (data set, system):
pairwise precision / recall / F1 against the truth, pair completeness (share of the
true pairs among the candidates), B-cubed precision / recall / F1 (per-record, so one
huge entity does not dominate), seconds, peak RSS and the project / Splink time.
A failed run, or one that found no pairs, says so in its row; the script goes on.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.febrl import FEBRL_MAP  # noqa: E402
from bench.harness import MAIN_PYTHON, ROOT, Measured, run_measured  # noqa: E402
from bench.labelled_data import LabelledSet, load_set  # noqa: E402
from bench.metrics import bcubed_scores, pair_completeness, pairwise_scores  # noqa: E402

# How the project's engine is told what each column is (`dedupe --map COLUMN=FIELD`),
# and which entity the data hold (`dedupe --entity`, passed once the engine has it).
# Columns not listed are left to the engine's automatic mapping.
PROJECT_MAP: dict[str, tuple[str, ...]] = {
    "persons": ("first_name=first_name", "surname=last_name", "dob=birth_date",
                "city=city", "email=email"),
    "companies": ("Name=company",),
    "febrl": tuple(FEBRL_MAP),
    "crm": (),
    # The generator's other kinds use the engine's canonical field names as headers.
    "orgs": (),
    "latin": (),
    "mixed": (),
}  # fmt: skip
PROJECT_ENTITY = {"persons": "person", "companies": "organisation", "febrl": "person",
                  "crm": "auto", "orgs": "organisation", "latin": "auto",
                  "mixed": "auto"}  # fmt: skip

DEFAULT_SETS = ("persons_fake_1000", "companies_patstat_nl", "febrl1", "febrl2", "febrl3",
                "febrl4", "crm-15k-s42", "gen-orgs-20k", "gen-latin-20k",
                "gen-mixed-20k")  # fmt: skip
SYSTEMS = ("splink", "project")
COLUMNS = ("dataset", "system", "records", "true pairs", "predicted pairs", "precision",
           "recall", "F1", "pair completeness", "B³ precision", "B³ recall", "B³ F1",
           "seconds", "peak RSS MB", "time / Splink", "notes")  # fmt: skip


def engine_options() -> set[str]:
    """The optional ``dedupe`` flags this engine has, of --pairs-out and --entity."""
    usage = subprocess.run([str(MAIN_PYTHON), "-m", "core", "dedupe", "--help"], cwd=ROOT,
                           capture_output=True, text=True, check=False).stdout  # fmt: skip
    return {flag for flag in ("--pairs-out", "--entity") if flag in usage}


def splink_command(ds: LabelledSet, clusters: Path, pairs: Path) -> list[str]:
    """Splink (this interpreter, the bench venv) on `ds`."""
    script = str(Path(__file__).resolve().parent / "splink_labelled.py")
    return [sys.executable, script, ds.kind, str(ds.records), str(clusters), str(pairs)]


def project_command(ds: LabelledSet, clusters: Path, pairs: Path, options: set[str]) -> list[str]:
    """The project's engine (main venv) on `ds`, as bench/run.py runs it."""
    command = [str(MAIN_PYTHON), "-m", "core", "dedupe", str(ds.records), "--out", str(clusters),
               "--id-column", ds.id_column]  # fmt: skip
    for mapping in PROJECT_MAP[ds.kind]:
        command += ["--map", mapping]
    if "--pairs-out" in options:
        command += ["--pairs-out", str(pairs)]
    if "--entity" in options:
        command += ["--entity", PROJECT_ENTITY[ds.kind]]
    return command


def _read_pairs(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row in reader:
            yield row[0], row[1]


@dataclass(frozen=True)
class Row:
    """One printed row, and the seconds of a successful run (None otherwise)."""

    cells: list[str]
    seconds: float | None


def score_run(ds: LabelledSet, system: str, run: Measured, clusters: Path, pairs: Path) -> Row:
    """Score a finished run against the truth; a failure becomes a row that says so."""
    head = [ds.name, system, f"{len(ds.truth):,}"]
    if not run.ok or not clusters.is_file():
        why = f"FAILED (exit {run.exit_code}): {run.tail()} (log: {run.log})"
        return Row([*head, *[""] * (len(COLUMNS) - 4), why], None)
    with clusters.open(encoding="utf-8", newline="") as handle:
        predicted = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(handle)}
    s = pairwise_scores(predicted, ds.truth)
    b = bcubed_scores(predicted, ds.truth)
    notes = []
    completeness = "n/a (engine has no --pairs-out)"
    if pairs.is_file():
        c = pair_completeness(_read_pairs(pairs), ds.truth)
        completeness = f"{c.share:.3f}"
        notes.append(f"{c.candidates:,} candidate pairs")
        if c.candidates == 0:
            notes.append("blocking produced NO candidate pairs")
    if s.predicted_pairs == 0:
        notes.append("NO pairs predicted: every record left alone")
    missing = len(set(ds.truth) - set(predicted))
    if missing:
        notes.append(f"{missing} records missing from the output")
    cells = [*head, f"{s.true_pairs:,}", f"{s.predicted_pairs:,}", f"{s.precision:.3f}",
             f"{s.recall:.3f}", f"{s.f1:.3f}", completeness, f"{b.precision:.3f}",
             f"{b.recall:.3f}", f"{b.f1:.3f}", f"{run.seconds:.1f}", f"{run.peak_rss_mb:.0f}", "",
             "; ".join(notes)]  # fmt: skip
    return Row(cells, run.seconds)


def run_system(ds: LabelledSet, system: str, workdir: Path, options: set[str]) -> Row:
    """Run one system on one data set in a subprocess and score it."""
    clusters = workdir / f"{ds.name}.{system}.clusters.csv"
    pairs = workdir / f"{ds.name}.{system}.pairs.csv"
    clusters.unlink(missing_ok=True)
    pairs.unlink(missing_ok=True)
    if system == "splink":
        command = splink_command(ds, clusters, pairs)
    else:
        command = project_command(ds, clusters, pairs, options)
    run = run_measured(command, workdir / f"{ds.name}.{system}.log")
    return score_run(ds, system, run, clusters, pairs)


def _markdown(cells: list[str] | tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=SYSTEMS, help="run one system only (default: both)")
    ap.add_argument("--datasets", default=",".join(DEFAULT_SETS),
                    help="comma-separated data sets (default: %(default)s)")  # fmt: skip
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_labelled"))
    args = ap.parse_args()
    started = time.perf_counter()
    systems = [args.only] if args.only else list(SYSTEMS)
    args.workdir.mkdir(parents=True, exist_ok=True)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    sets = [load_set(name, args.workdir) for name in names]  # fails early, naming the path
    options = engine_options() if "project" in systems else set()
    print(_markdown(COLUMNS))
    print(_markdown(["---"] * len(COLUMNS)), flush=True)
    for ds in sets:
        seconds: dict[str, float | None] = {}
        for system in systems:
            row = run_system(ds, system, args.workdir, options)
            seconds[system] = row.seconds
            mine, theirs = seconds.get("project"), seconds.get("splink")
            if system == "project" and mine and theirs:
                row.cells[COLUMNS.index("time / Splink")] = f"{mine / theirs:.2f}"
            print(_markdown(row.cells), flush=True)
    if "project" in systems:
        missing = {"--pairs-out", "--entity"} - options
        if missing:
            print(f"\nThe engine has no {' or '.join(sorted(missing))} yet: "
                  "left out of the project's command.")  # fmt: skip
    print(f"\nWhole script: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
