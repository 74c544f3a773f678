"""The ingest commands: ``import`` a file as a new batch, and
``standardize`` the records whose standardized values are out of date."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from core.cli.common import Commands, actor, add_actor, add_db, add_entity, open_db, progress
from core.errors import InputError


def register(commands: Commands) -> None:
    """Add ``import`` and ``standardize``."""
    p = commands.add_parser("import", help="import a CSV, TSV or XLSX file as a new batch")
    p.add_argument("file", type=Path)
    add_db(p)
    p.add_argument("--source", required=True, help="the channel the file came from, e.g. 展会名片")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a column to a field (repeatable; FIELD '-' leaves it unmapped)",
    )
    p.add_argument(
        "--id-column", metavar="COLUMN", help="the column holding the source's record id"
    )
    p.add_argument("--sheet", help="the XLSX worksheet (default: the first)")
    p.add_argument("--encoding", help="force a text encoding (default: detected)")
    p.add_argument("--delimiter", help="force a delimiter; use '\\t' for tab (default: sniffed)")
    p.add_argument("--force", action="store_true", help="import a file already imported")
    add_entity(p)
    add_actor(p, required=False)
    p.set_defaults(func=import_)

    p = commands.add_parser(
        "standardize", help="recompute standardized values that are out of date"
    )
    add_db(p)
    p.add_argument("--all", action="store_true", help="recompute every record, not only stale ones")
    p.set_defaults(func=standardize)


def import_(args: argparse.Namespace) -> dict[str, Any]:
    from core.ingest.importer import import_file
    from core.ingest.mapping import parse_overrides

    overrides = parse_overrides(args.map)
    delimiter = "\t" if args.delimiter in ("\\t", "tab", "TAB") else args.delimiter
    if delimiter is not None and len(delimiter) != 1:
        raise InputError(f"--delimiter {args.delimiter!r}: give one character, e.g. ',' or '\\t'")
    with open_db(args, create=True) as store:
        started = time.perf_counter()
        result = import_file(
            store, args.file, source=args.source, actor=actor(store, args.actor),
            overrides=overrides, id_column=args.id_column, sheet=args.sheet,
            encoding=args.encoding, delimiter=delimiter, force=args.force,
            progress=progress("imported", "rows"), entity=args.entity,
        )  # fmt: skip
        summary = result.summary()
        summary["seconds"] = round(time.perf_counter() - started, 2)
        return summary


def standardize(args: argparse.Namespace) -> dict[str, Any]:
    from core.ingest.recompute import restandardize

    with open_db(args) as store:
        count = restandardize(store, everything=args.all,
                              progress=progress("standardized", "records"))  # fmt: skip
    return {"records_standardized": count}
