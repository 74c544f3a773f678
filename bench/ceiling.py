# ruff: noqa: T201  (a script: printing the figures is its job)
"""How good can any pair scorer be on these data? A supervised upper bound.

    .venv-bench/bin/python bench/ceiling.py /tmp/bench_work/crm_15000_s42.csv

The engine learns without labels. To see how far its unsupervised model is
from what the information in the records allows, this script trains a
gradient-boosted classifier on the *truth* (5-fold, out of fold) over the
engine's own candidate pairs and comparison features (levels and value
frequencies), then clusters its probabilities with the engine's own
average linkage. The figures are an estimate of the ceiling for this
blocking and these features, not a method anyone could deploy: no labels
exist in practice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.metrics import pairwise_scores  # noqa: E402
from core.actors import Actor  # noqa: E402
from core.ingest.importer import import_file  # noqa: E402
from core.matching.blocking import candidate_pairs  # noqa: E402
from core.matching.clustering import cluster  # noqa: E402
from core.matching.coding import Coded  # noqa: E402
from core.matching.comparisons import compare  # noqa: E402
from core.matching.profiles import load_profiles  # noqa: E402
from core.matching.scoring import agreed_counts, value_counts  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.store import open_store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path, help="a generated CRM file (its _truth.csv beside it)")
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()
    truth = pd.read_csv(args.input.with_name(f"{args.input.stem}_truth.csv"), dtype=str)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "c.db", create=True)
        import_file(store, args.input, source="b", actor=Actor("b", "system"),
                    id_column="record_id", stage=False)  # fmt: skip
        ids = pd.read_sql_query("select id, source_record_id from source_records", store.conn)
        coded = Coded.of(load_profiles(store))
        store.close()
    person_of = dict(zip(truth.record_id, truth.person_id, strict=True))
    person = dict(zip(ids["id"], ids["source_record_id"].map(person_of), strict=True))
    pairs = candidate_pairs(coded, Settings())
    counts = value_counts(coded)

    def features(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        levels, values = compare(coded, left, right)
        return np.hstack([levels.astype(float), np.log1p(agreed_counts(values, counts))])

    left = np.searchsorted(coded.ids, pairs["id_l"].to_numpy())
    right = np.searchsorted(coded.ids, pairs["id_r"].to_numpy())
    x = features(left, right)
    y = np.array([person[a] == person[b] for a, b in zip(pairs.id_l, pairs.id_r, strict=True)])
    oof, models = np.zeros(len(y)), []
    for fit_rows, held_out in KFold(5, shuffle=True, random_state=0).split(x):
        model = HistGradientBoostingClassifier(max_iter=300, random_state=0)
        model.fit(x[fit_rows], y[fit_rows])
        oof[held_out] = model.predict_proba(x[held_out])[:, 1]
        models.append(model)

    def rescore(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        more = features(np.searchsorted(coded.ids, a), np.searchsorted(coded.ids, b))
        return np.asarray(np.mean([m.predict_proba(more)[:, 1] for m in models], axis=0))

    result = cluster(coded.ids, pairs.id_l.to_numpy(), pairs.id_r.to_numpy(), oof,
                     threshold=args.threshold, rescore=rescore)  # fmt: skip
    predicted = dict(zip(result.ids.tolist(), result.labels.tolist(), strict=True))
    s = pairwise_scores(predicted, {k: person[k] for k in predicted})
    print(f"| {args.input.stem} | supervised upper bound | {s.f1:.4f} | {s.precision:.4f} "
          f"| {s.recall:.4f} | | | |")  # fmt: skip


if __name__ == "__main__":
    main()
