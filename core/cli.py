"""The command line: ``python -m core COMMAND ...``, one command per job.

Each command opens the store, calls one library function and prints a
single JSON object as its **last stdout line**, so that cron jobs and
scripts can read the result. Progress goes to stderr.

Exit codes: 0 success; 1 a failed integrity check; 2 bad input (a bad
argument, an unusable file, a duplicate import); 3 permission denied;
4 conflict. Engine errors print one line, ``error: <message>``, to stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError, StewardError
from core.settings import SETTINGS

if TYPE_CHECKING:  # the store pulls in sqlite-utils and pandas: import it when a command runs
    from core.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except StewardError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; nothing was written by the unfinished step\n")
        return 130
    if result is not None:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("import", help="import a CSV, TSV or XLSX file as a new batch")
    p.add_argument("file", type=Path)
    _db(p)
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
    p.add_argument("--actor", default=None, help="who imports (default: the OS user)")
    p.set_defaults(func=_cmd_import)

    p = commands.add_parser("export", help="export records or quarantined rows to CSV or XLSX")
    _db(p)
    p.add_argument("--what", choices=["records", "quarantine", "customers"], required=True)
    p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    p.add_argument(
        "--actor",
        default=None,
        metavar="USER",
        help="the user the file is for: a manager's or an auditor's export has phones, "
        "e-mails, id numbers, WeChat ids and addresses masked (raw cells too) and notes and "
        "quarantined raw text withheld; without --actor the server operator exports as the "
        "system, unmasked",
    )
    p.set_defaults(func=_cmd_export)

    p = commands.add_parser(
        "standardize", help="recompute standardized values that are out of date"
    )
    _db(p)
    p.add_argument("--all", action="store_true", help="recompute every record, not only stale ones")
    p.set_defaults(func=_cmd_standardize)

    p = commands.add_parser("demo", help="create the demo database from data/demo")
    _db(p, default="data/demo.db")
    p.add_argument("--data", type=Path, default=Path("data/demo"), help="the demo files' folder")
    p.set_defaults(func=_cmd_demo)

    p = commands.add_parser("match", help="match every record not matched yet; propose clusters")
    _db(p)
    p.add_argument(
        "--retrain",
        action="store_true",
        help="train a new match model on the whole store and rematch everything",
    )
    p.set_defaults(func=_cmd_match)

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
    p.set_defaults(func=_cmd_dedupe)

    p = commands.add_parser("clusters", help="write the open proposals, one row per record")
    _db(p)
    p.add_argument("--out", type=Path, required=True, help="FILE.csv to write")
    p.set_defaults(func=_cmd_clusters)

    p = commands.add_parser("settings", help="list the settings, or set one")
    _db(p)
    p.add_argument("--set", nargs=2, metavar=("NAME", "VALUE"), help="store an override")
    p.set_defaults(func=_cmd_settings)
    _decision_commands(commands)
    return parser


def _decision_commands(commands: Any) -> None:
    """Merging, unmerging, stewardship, users, history and the audit trail."""
    from core import cli_decisions as d
    from core import cli_ops as ops
    from core import cli_quality as quality
    from core import cli_subject as subject

    p = commands.add_parser("merge", help="approve a proposal: merge its records into a customer")
    _db(p)
    _actor(p)
    p.add_argument("--proposal", type=int, required=True, help="the proposal (cluster_id) id")
    p.add_argument("--exclude", action="append", default=[], metavar="RECORD_ID",
                   help="a record that does not belong (repeatable)")  # fmt: skip
    p.add_argument("--pick", action="append", default=[], metavar="FIELD=VALUE",
                   help="the value that must survive for a field (repeatable)")  # fmt: skip
    p.add_argument("--note", default="")
    p.set_defaults(func=d.merge)

    p = commands.add_parser("reject", help="reject a proposal: not the same customer")
    _db(p)
    _actor(p)
    p.add_argument("--proposal", type=int, required=True)
    p.add_argument("--note", default="")
    p.set_defaults(func=d.reject)

    p = commands.add_parser("unmerge", help="undo the merge that created a customer")
    _db(p)
    _actor(p)
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--note", default="")
    p.set_defaults(func=d.unmerge)

    p = commands.add_parser("auto-merge", help="merge every open proposal of the auto band")
    _db(p)
    p.set_defaults(func=d.auto_merge)

    p = commands.add_parser("claim", help="claim a proposal for a while")
    _db(p)
    _actor(p)
    p.add_argument("--proposal", type=int, required=True)
    p.set_defaults(func=d.claim)

    for name, helptext in (("pick", "make one of the records' values survive"),
                           ("edit", "set a golden value by hand, with a reason")):  # fmt: skip
        p = commands.add_parser(name, help=helptext)
        _db(p)
        _actor(p)
        p.add_argument("--customer", type=int, required=True)
        p.add_argument("--field", required=True)
        p.add_argument("--value", required=True)
        p.add_argument("--reason" if name == "edit" else "--note", required=name == "edit",
                       default="")  # fmt: skip
        p.set_defaults(func=d.pick if name == "pick" else d.edit)

    p = commands.add_parser("attach", help="move a record into a customer")
    _db(p)
    _actor(p)
    p.add_argument("--record", type=int, required=True, help="the record's id in the store")
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--note", default="")
    p.set_defaults(func=d.attach)

    p = commands.add_parser("detach", help="take a record out of its customer")
    _db(p)
    _actor(p)
    p.add_argument("--record", type=int, required=True, help="the record's id in the store")
    p.add_argument("--note", default="")
    p.set_defaults(func=d.detach)

    p = commands.add_parser("customer", help="show a customer: values, provenance, conflicts")
    _db(p)
    p.add_argument("--id", type=int, required=True)
    p.set_defaults(func=d.show_customer)

    p = commands.add_parser("history", help="a customer's history from the audit trail")
    _db(p)
    p.add_argument("--customer", type=int, required=True)
    p.set_defaults(func=d.history)

    p = commands.add_parser("users", help="manage users")
    sub = p.add_subparsers(dest="users_command", required=True)
    q = sub.add_parser("add", help="add a user (password from STEWARD_PASSWORD or stdin)")
    _db(q)
    q.add_argument("--username", required=True)
    q.add_argument("--role", required=True, choices=["steward", "manager", "auditor", "admin"])
    q.set_defaults(func=d.add_user)

    p = commands.add_parser("audit", help="the audit trail")
    sub = p.add_subparsers(dest="audit_command", required=True)
    q = sub.add_parser("verify", help="recompute every hash of the chain")
    _db(q)
    q.set_defaults(func=d.verify)
    quality.register_audit(sub, _db)
    quality.register(commands, _db)
    subject.register(commands, _db)
    ops.register(commands, _db)


def _actor(p: argparse.ArgumentParser) -> None:
    p.add_argument("--actor", required=True, metavar="USER", help="the user who decides")


def _db(p: argparse.ArgumentParser, default: str | None = None) -> None:
    p.add_argument("--db", type=Path, required=default is None, default=default,
                   help="the SQLite store file")  # fmt: skip


def _open(args: argparse.Namespace, *, create: bool = False) -> Store:
    from core.store import open_store

    return open_store(args.db, create=create)


def _cmd_import(args: argparse.Namespace) -> dict[str, Any]:
    from core.ingest import import_file
    from core.mapping import parse_overrides

    overrides = parse_overrides(args.map)
    delimiter = "\t" if args.delimiter in ("\\t", "tab", "TAB") else args.delimiter
    if delimiter is not None and len(delimiter) != 1:
        raise InputError(f"--delimiter {args.delimiter!r}: give one character, e.g. ',' or '\\t'")
    with _open(args, create=True) as store:
        started = time.perf_counter()
        result = import_file(
            store, args.file, source=args.source, imported_by=args.actor or _os_user(),
            overrides=overrides, id_column=args.id_column, sheet=args.sheet,
            encoding=args.encoding, delimiter=delimiter, force=args.force,
            progress=_progress_printer("imported", "rows"),
        )  # fmt: skip
        summary = result.summary()
        summary["seconds"] = round(time.perf_counter() - started, 2)
        return summary


def _cmd_export(args: argparse.Namespace) -> dict[str, Any]:
    from core.actors import SYSTEM
    from core.export import export_customers, export_quarantine, export_records
    from core.masking import needs_mask
    from core.users import actor_for

    writers = {"records": export_records, "quarantine": export_quarantine,
               "customers": export_customers}  # fmt: skip
    with _open(args) as store:
        viewer = actor_for(store, args.actor) if args.actor else SYSTEM
        rows = writers[args.what](store, args.out, viewer=viewer)
    return {"what": args.what, "out": str(args.out), "rows": rows, "actor": viewer.username,
            "masked": needs_mask(viewer)}  # fmt: skip


def _cmd_standardize(args: argparse.Namespace) -> dict[str, Any]:
    from core.recompute import restandardize

    with _open(args) as store:
        count = restandardize(store, everything=args.all,
                              progress=_progress_printer("standardized", "records"))  # fmt: skip
    return {"records_standardized": count}


def _cmd_demo(args: argparse.Namespace) -> dict[str, Any]:
    from core.demo import build_demo

    return build_demo(args.db, args.data)


def _cmd_match(args: argparse.Namespace) -> dict[str, Any]:
    from core.matching import run_match

    with _open(args) as store:
        summary = run_match(store, retrain=args.retrain, progress=_say)
    return {
        "pairs_scored": summary.pairs_scored, "clusters_proposed": summary.clusters_proposed,
        "auto_merge": summary.auto_merge, "review": summary.review, "seconds": summary.seconds,
        "mode": summary.mode, "records": summary.records, "new_records": summary.new_records,
        "model_version": summary.model_version, "run_id": summary.run_id,
    }  # fmt: skip


def _cmd_dedupe(args: argparse.Namespace) -> dict[str, Any]:
    from core.dedupe import dedupe_file
    from core.mapping import parse_overrides

    return dedupe_file(args.file, args.out, id_column=args.id_column,
                       overrides=parse_overrides(args.map), min_band=args.min_band)  # fmt: skip


def _cmd_clusters(args: argparse.Namespace) -> dict[str, Any]:
    from core.clusters_export import write_clusters

    with _open(args) as store:
        rows = write_clusters(store, args.out)
    return {"out": str(args.out), "rows": rows}


def _cmd_settings(args: argparse.Namespace) -> dict[str, Any]:
    with _open(args, create=True) as store:
        if args.set:
            store.set_setting(args.set[0], args.set[1], actor=_os_user())
        current = store.settings()
    for s in SETTINGS:
        sys.stdout.write(
            f"{s.name} = {json.dumps(current[s.name], ensure_ascii=False)}  # {s.help}\n"
        )
    return {s.name: current[s.name] for s in SETTINGS}


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _progress_printer(verb: str, unit: str) -> Callable[[int, int], None]:
    """Progress on stderr: a live line on a terminal, every 10% otherwise."""
    state = {"shown": -1}
    tty = sys.stderr.isatty()

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        step = int(share * 10)
        if tty:
            sys.stderr.write(f"\r{verb} {done:,} / ~{total:,} {unit} ({share:.0%})")
            if done >= total:
                sys.stderr.write("\n")
        elif total >= 20_000 and step > state["shown"]:
            state["shown"] = step
            sys.stderr.write(f"{verb} {done:,} / ~{total:,} {unit} ({share:.0%})\n")
        sys.stderr.flush()

    return show
