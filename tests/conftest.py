"""Shared fixtures: real SQLite files in a temporary folder, and real files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from core.store import Store, open_store

# CI replays a fixed, reproducible set of examples, so that a submission
# cannot fail by chance; local runs keep exploring new examples (and a
# failure found there is added as a regression test).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-06-30"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store.db") as s:
        yield s


def write_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", sep: str = ","
) -> Path:
    """Write rows as a delimited file, quoting cells only when needed."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            if any(ch in cell for ch in (sep, '"', "\n", "\r")):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(sep.join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m core ARGS`` as a real process (``env`` adds variables)."""
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def matched_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 1,500 generated records, imported and matched once per session."""
    from core.ingest import import_file
    from core.matching import run_match
    from core.synthetic import generate_flat_csv

    folder = tmp_path_factory.mktemp("matched")
    data = generate_flat_csv(folder / "crm.csv", records=1500, seed=5)
    with open_store(folder / "template.db") as s:
        import_file(s, data, source="官网表单", imported_by="loader", id_column="record_id",
                    stage=False, today=TODAY)  # fmt: skip
        run_match(s)
    return folder / "template.db"


@pytest.fixture
def matched(matched_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A fresh copy of the matched template store (SQLite's backup API)."""
    import sqlite3

    target = tmp_path / "matched.db"
    source = sqlite3.connect(matched_template)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    with open_store(target) as s:
        yield s
