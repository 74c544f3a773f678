"""Run one command and report its wall time and peak RSS: the launcher of bench/harness.py.

    python -S bench/measure.py RESULT.json -- COMMAND [ARG ...]

Why a launcher: on Linux a child's ``ru_maxrss`` (from ``wait4``) starts at the
high-water RSS of the process that forked it (exec records the old address
space's peak before dropping it). A benchmark harness holding a few hundred MB
of data would thus report at least its own size for every system it runs (the
690 MB printed for every FEBRL run once). This launcher is a fresh, small
interpreter (about 10 MB), so the command it spawns starts from that floor.

Only the standard library's ``os``, ``sys``, ``time`` and ``json``: keep it small.
The command's stdout and stderr are the launcher's; its exit code is returned.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    """Spawn ``argv[2:]`` (after ``--``), wait for it, write the measurements as JSON."""
    if len(argv) < 3 or argv[1] != "--":
        sys.stderr.write("usage: measure.py RESULT.json -- COMMAND [ARG ...]\n")
        return 2
    result, command = argv[0], argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w", encoding="utf-8") as handle:
        json.dump({"exit_code": code, "seconds": seconds, "max_rss_kib": usage.ru_maxrss}, handle)
    return code if code >= 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
