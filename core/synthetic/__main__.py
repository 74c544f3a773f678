"""Command line: ``python -m core.synthetic demo|flat ...``.

The last line of stdout is a one-line JSON summary, so scripts can read it.

Example:
    python -m core.synthetic demo --out data/demo --persons 2600 --seed 20261123
    python -m core.synthetic demo --out /tmp/demo_b2b --persons 2600 --b2b
    python -m core.synthetic flat --out /tmp/bench_1m.csv --records 1000000
    python -m core.synthetic flat --out /tmp/mix.csv --records 100000 --kind mixed --shares 70,15,15
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from core.synthetic.kinds import DEFAULT_SHARES, KINDS, generate_kind_csv
from core.synthetic.writer import DEFAULT_SEED, generate_demo


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _shares(text: str) -> tuple[float, float, float]:
    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 3 or min(parts) < 0 or sum(parts) <= 0:
        raise argparse.ArgumentTypeError(
            f"must be three non-negative numbers for crm,latin,orgs, e.g. 70,15,15; got {text}"
        )
    return parts[0], parts[1], parts[2]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m core.synthetic", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="one file per channel plus truth.csv")
    demo.add_argument("--out", type=Path, required=True, help="output directory")
    demo.add_argument("--persons", type=_positive, required=True, help="distinct persons")
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED)
    demo.add_argument(
        "--b2b", action="store_true", help="add b2b_accounts.csv and Latin-script website leads"
    )
    flat = commands.add_parser("flat", help="one canonical CSV plus <stem>_truth.csv")
    flat.add_argument("--out", type=Path, required=True, help="output CSV file")
    flat.add_argument("--records", type=_positive, required=True, help="exact row count")
    flat.add_argument("--seed", type=int, default=DEFAULT_SEED)
    flat.add_argument(
        "--kind", choices=KINDS, default="crm", help="crm (default), orgs, latin or mixed"
    )
    flat.add_argument(
        "--shares",
        type=_shares,
        default=DEFAULT_SHARES,
        help="row shares crm,latin,orgs of --kind mixed (default 70,15,15)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    summary: dict[str, object] = {"command": args.command, "seed": args.seed}
    if args.command == "demo":
        files = generate_demo(args.out, persons=args.persons, seed=args.seed, b2b=args.b2b)
        summary["out"] = str(args.out)
        summary["persons"] = args.persons
        summary["records"] = sum(f.rows for f in files)
        summary["files"] = [
            {"channel": f.channel, "file": f.path.name, "encoding": f.encoding, "rows": f.rows}
            for f in files
        ]
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        out = generate_kind_csv(
            args.out, kind=args.kind, records=args.records, seed=args.seed, shares=args.shares
        )
        if args.kind != "crm":
            summary["kind"] = args.kind
        if args.kind == "mixed":
            summary["shares"] = list(args.shares)
        summary["out"] = str(out)
        summary["truth"] = str(out.with_name(f"{out.stem}_truth.csv"))
        summary["records"] = args.records
    summary["seconds"] = round(time.perf_counter() - started, 2)
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
