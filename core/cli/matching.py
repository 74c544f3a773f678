"""The matching commands: ``match`` the store, ``dedupe`` one file in a
single shot, and write the open proposals as ``clusters``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.cli.common import Commands, actor, add_db, add_entity, open_db, say


def register(commands: Commands) -> None:
    """Add ``match``, ``dedupe`` and ``clusters``."""
    p = commands.add_parser("match", help="match every record not matched yet; propose clusters")
    add_db(p)
    p.add_argument(
        "--retrain",
        action="store_true",
        help="train a new match model on the whole store and rematch everything",
    )
    p.set_defaults(func=match)

    p = commands.add_parser(
        "dedupe", help="one shot: cluster the records of one file into record_id,cluster_id"
    )
    p.add_argument("file", type=Path)
    p.add_argument("--out", type=Path, required=True, help="CLUSTERS.csv to write")
    p.add_argument("--id-column", metavar="COLUMN", help="the column holding each row's id")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="map a column to a field (repeatable), as for import")  # fmt: skip
    p.add_argument("--min-band", choices=["auto", "review"], default="review",
                   help="the weakest band counted as approved (default: review)")  # fmt: skip
    add_entity(p)
    p.add_argument("--pairs-out", type=Path, metavar="PAIRS.csv",
                   help="also write every candidate pair blocking produced, as "
                        "record_id_l,record_id_r (for measuring blocking)")  # fmt: skip
    p.set_defaults(func=dedupe)

    p = commands.add_parser("clusters", help="write the open proposals, one row per record")
    add_db(p)
    p.add_argument("--out", type=Path, required=True, help="FILE.csv to write")
    p.set_defaults(func=clusters)


def match(args: argparse.Namespace) -> dict[str, Any]:
    from core.matching.runs import run_match

    with open_db(args) as store:
        summary = run_match(store, retrain=args.retrain, progress=say)
    return {
        "pairs_scored": summary.pairs_scored, "clusters_proposed": summary.clusters_proposed,
        "auto_merge": summary.auto_merge, "review": summary.review, "seconds": summary.seconds,
        "mode": summary.mode, "records": summary.records, "new_records": summary.new_records,
        "model_version": summary.model_version, "run_id": summary.run_id,
        "model_source": summary.model_source,
    }  # fmt: skip


def dedupe(args: argparse.Namespace) -> dict[str, Any]:
    from core.ingest.mapping import parse_overrides
    from core.matching.dedupe import dedupe_file

    return dedupe_file(args.file, args.out, id_column=args.id_column,
                       overrides=parse_overrides(args.map), min_band=args.min_band,
                       entity=args.entity, pairs_out=args.pairs_out)  # fmt: skip


def clusters(args: argparse.Namespace) -> dict[str, Any]:
    from core.ops.export import write_clusters

    with open_db(args) as store:
        rows = write_clusters(store, args.out, viewer=actor(store, None))
    return {"out": str(args.out), "rows": rows}
