"""Jobs beside the stewards: full match runs, one after another, and
processes guessing the admin's password, while :func:`tests.workloads.stewards.run`
runs (``bench/concurrency.py --beside-match --bad-logins N`` and
``tests/test_concurrency.py``).

A match run must end with exit 0 or the typed conflict (exit 4), and a guess
must be refused, never meet "database is locked"."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


def _guess(path: str, client: str, stop: Any, results: Any) -> None:
    """Guess the admin's password until ``stop`` is set; report the outcomes."""
    from core.errors import PermissionDenied
    from core.store import open_store
    from core.users import sign_in

    seen: Counter[str] = Counter()
    with open_store(path) as store:
        while not stop.is_set():
            try:
                sign_in(store, "admin", f"guess-{sum(seen.values())}", client=client)
                seen["let in"] += 1
            except PermissionDenied:
                seen["refused"] += 1
            except sqlite3.OperationalError as exc:
                seen["locked" if "locked" in str(exc) else "sqlite error"] += 1
            except Exception as exc:  # noqa: BLE001  (counted and reported: the bench's job)
                seen[type(exc).__name__] += 1
    results.put(dict(seen))


class Beside:
    """Match runs and password guessers beside the stewards, until stopped."""

    def __init__(self, db: Path, matches: bool, guessers: int) -> None:
        self.db, self.matches, self.guessers = db, matches, guessers
        self.exits: Counter[str] = Counter()
        self.guesses: Counter[str] = Counter()
        self._stop = threading.Event()
        ctx = mp.get_context("spawn")
        self._halt, self._results = ctx.Event(), ctx.Queue()
        self._procs = [ctx.Process(target=_guess, args=(str(db), f"bot-{i}", self._halt,
                                                        self._results))
                       for i in range(guessers)]  # fmt: skip
        self._thread = threading.Thread(target=self._match_loop, daemon=True)

    def __enter__(self) -> Beside:
        if self.guessers:
            _prepare_guessing(self.db)
        for p in self._procs:
            p.start()
        if self.matches:
            self._thread.start()
        return self

    def _match_loop(self) -> None:
        while not self._stop.is_set():
            command = [sys.executable, "-m", "core", "match", "--db", str(self.db), "--retrain"]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            last = (done.stderr.strip().splitlines() or [""])[-1]
            said = "" if done.returncode == 0 else f": {last}"
            if done.returncode != 0:  # kept whole for whoever looks into it
                log = self.db.with_name(f"match-{sum(self.exits.values())}.log")
                log.write_text(done.stderr, encoding="utf-8")
                said += f" (see {log})"
            self.exits[f"exit {done.returncode}{said}"] += 1

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._halt.set()
        for _ in self._procs:
            self.guesses.update(self._results.get(timeout=120))
        for p in self._procs:
            p.join(timeout=30)
        if self.matches:
            self._thread.join(timeout=600)

    def clean(self) -> bool:
        exits_ok = all(k == "exit 0" or k.startswith("exit 4") for k in self.exits)
        return exits_ok and set(self.guesses) <= {"refused"}


def _prepare_guessing(db: Path) -> None:
    """An admin to guess at, and no throttle, so every guess hashes and writes."""
    from core.actors import SYSTEM
    from core.ops.config import set_setting
    from core.store import open_store
    from core.users import add_user

    with open_store(db) as store:
        add_user(store, "admin", "admin", "bench-admin-pass")
        for name in ("login_max_failures", "login_name_max_failures"):
            set_setting(store, name, 10**6, actor=SYSTEM)
