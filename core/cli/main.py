"""The command line: ``python -m core COMMAND ...``, one command per job.

Each command opens the store, calls one library function and prints a
single JSON object as its **last stdout line**, so that cron jobs and
scripts can read the result. Progress goes to stderr.

Exit codes: 0 success; 1 a failed integrity check, or a change committed
whose follow-up step failed (the message says what was committed); 2 bad
input (a bad argument, an unusable file, a duplicate import); 3 permission
denied; 4 conflict; 5 the disk is full (nothing was written). Engine errors
print one line, ``error: <message>``, to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from core.cli import assurance, decisions, ingest, matching, ops, privacy, quality
from core.errors import StewardError

STAGES = (ingest, matching, decisions, quality, assurance, privacy, ops)
"""The command modules, each with ``register(commands)``, in help order."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = parser().parse_args(argv)
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


def parser() -> argparse.ArgumentParser:
    """The whole command line: every stage's commands."""
    top = argparse.ArgumentParser(prog="python -m core", description=__doc__.split("\n\n")[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for stage in STAGES:
        stage.register(commands)
    return top
