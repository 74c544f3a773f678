"""Shared machinery of the matching benchmarks (bench/run.py, bench/labelled.py).

* :func:`run_measured` runs one system in a subprocess and measures its wall time
  and peak RSS (``os.wait4``, through the small launcher bench/measure.py so that
  the harness's own memory does not leak into the child's figure);
* :func:`generate_crm` writes a synthetic CRM file with the project's generator.

Imports only the standard library, so the tests and both venvs can import it.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN_PYTHON = ROOT / ".venv" / "bin" / "python"
MEASURE = Path(__file__).resolve().parent / "measure.py"


@dataclass(frozen=True)
class Measured:
    """One finished subprocess: exit code, wall seconds (start-up included) and
    peak resident memory of the process and its waited-for children, in MB."""

    exit_code: int
    seconds: float
    peak_rss_mb: float
    log: Path

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def tail(self, lines: int = 1) -> str:
        """The last non-empty lines of the log, joined by ' / ' (for a table cell)."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        kept = [line.strip() for line in text.splitlines() if line.strip()]
        return " / ".join(kept[-lines:]).replace("|", "/")


def run_measured(command: list[str], log: Path, cwd: Path = ROOT) -> Measured:
    """Run `command` (stdout and stderr to `log`) and measure it.

    The launcher is started with ``-S`` (no site packages) by the interpreter
    running the harness; the wall time is taken by the launcher around the
    command alone, so the launcher's own start-up is not counted.
    """
    result = log.with_suffix(".measure.json")
    result.unlink(missing_ok=True)
    with log.open("wb") as log_file:
        proc = subprocess.run(
            [sys.executable, "-S", str(MEASURE), str(result), "--", *command],
            cwd=cwd,
            stdout=log_file,
            stderr=log_file,
            check=False,
        )
    try:
        data = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # the launcher itself failed (e.g. no such program)
        return Measured(proc.returncode or 1, 0.0, 0.0, log)
    return Measured(int(data["exit_code"]), float(data["seconds"]), data["max_rss_kib"] / 1024, log)


def generate_crm(records: int, seed: int, workdir: Path) -> tuple[Path, dict[str, str]]:
    """Generate (once) a synthetic CRM file with the project's generator
    (``python -m core.synthetic flat``); return its path and record_id → person_id."""
    path = workdir / f"crm_{records}_s{seed}.csv"
    truth_path = workdir / f"crm_{records}_s{seed}_truth.csv"
    if not truth_path.exists():
        command = [str(MAIN_PYTHON), "-m", "core.synthetic", "flat", "--out", str(path),
                   "--records", str(records), "--seed", str(seed)]  # fmt: skip
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with truth_path.open(encoding="utf-8", newline="") as handle:
        return path, {row["record_id"]: row["person_id"] for row in csv.DictReader(handle)}
