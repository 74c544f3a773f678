"""The reference model: what the engine knows before a store can teach it.

EM learns the match model from the store's own candidate pairs. A store of
a few dozen records has too few of them: the estimate would be noise, and a
three-row file would not link 张伟 and 張偉. Until a store has
``match_min_training_pairs`` pairs to learn from, matching uses the
*reference model* instead: a model learnt the usual way from synthetic data
of every kind the engine meets (:mod:`core.synthetic`'s ``mixed`` file, a
fixed seed: Chinese persons from six CRM channels, Latin-script persons
with typos and organisation accounts), shipped as
``core/matching/reference_model.json`` and rebuilt with::

    python -m core.matching.reference --out core/matching/reference_model.json

:func:`for_store` adapts it to the store at hand: the prior keeps the
reference's number of duplicates *per record* (two random records of a
small store are likelier to match than two of a large one), and the value
frequency adjustment is off, since a handful of records says nothing about
how common a name is. A test rebuilds the model and checks that the shipped
file is current.

Stores large enough to learn from use the reference too, but only as a
prior for how duplicates differ (its ``m``; see :mod:`core.matching.training`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np

from core.actors import Actor
from core.matching.model import Model

REFERENCE_PATH = Path(__file__).with_name("reference_model.json")
REFERENCE_RECORDS = 30_000
REFERENCE_SEED = 20261201


def build() -> tuple[Model, int]:
    """Learn the reference model from ``REFERENCE_RECORDS`` synthetic records;
    returns it with the number of records imported."""
    from core.ingest.importer import import_file
    from core.matching.blocking import candidate_pairs
    from core.matching.coding import Coded
    from core.matching.profiles import load_profiles
    from core.matching.scoring import train
    from core.settings import Settings
    from core.store import open_store
    from core.synthetic.kinds import generate_kind_csv

    with tempfile.TemporaryDirectory(prefix="steward-reference-") as tmp:
        data = generate_kind_csv(Path(tmp) / "reference.csv", kind="mixed",
                                 records=REFERENCE_RECORDS, seed=REFERENCE_SEED)  # fmt: skip
        store = open_store(Path(tmp) / "reference.db", create=True)
        try:
            settings = Settings()
            import_file(store, data, source="reference", actor=Actor("reference", "system"),
                        stage=False, settings=settings, id_column="record_id")  # fmt: skip
            coded = Coded.of(load_profiles(store))
        finally:
            store.close()
    pairs = candidate_pairs(coded, settings)
    left = np.searchsorted(coded.ids, pairs["id_l"].to_numpy(np.int64))
    right = np.searchsorted(coded.ids, pairs["id_r"].to_numpy(np.int64))
    return train(coded, left, right, settings), len(coded.ids)


def to_text(model: Model, records: int) -> str:
    """The shipped file's text: the model and the records it was learnt from."""
    return json.dumps({"records": records, "model": json.loads(model.to_json())},
                      sort_keys=True, indent=1) + "\n"  # fmt: skip


@cache
def load(path: Path = REFERENCE_PATH) -> tuple[Model, int]:
    """The shipped reference model and the number of records it was learnt from."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model.from_json(json.dumps(data["model"])), int(data["records"])


def prior() -> Model:
    """The reference model, as the prior a store's own model starts from."""
    return load()[0]


def for_store(record_count: int, frequencies: tuple[list[int], list[float]] | None = None) -> Model:
    """The reference model adapted to a store of ``record_count`` records:
    the same expected duplicates per record, and the store's own value
    ``frequencies`` (records with a value, ``p̄`` per comparison; see
    :class:`~core.matching.model.Model`) or, without them, no frequency
    adjustment."""
    model, reference_records = load()
    per_record = model.prior * (reference_records - 1)
    prior = float(f"{min(per_record / max(record_count - 1, 1), 0.5):.6g}")
    if frequencies is None:
        return replace(model, prior=prior, tf_mean=(0.0,) * len(model.tf_mean),
                       source="reference")  # fmt: skip
    records, mean = frequencies
    return replace(model, prior=prior, tf_records=tuple(records),
                   tf_mean=tuple(float(f"{x:.6g}") for x in mean),
                   source="reference+frequencies")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.matching.reference", description=__doc__)
    parser.add_argument("--out", type=Path, default=REFERENCE_PATH)
    args = parser.parse_args(argv)
    model, records = build()
    args.out.write_text(to_text(model, records), encoding="utf-8")
    sys.stdout.write(json.dumps({"out": str(args.out), "version": model.version}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
