# ruff: noqa: T201  (a script: printing the figures is its job)
"""Hostile and damaged files through the real import command: what each
one does to the store, the exit code, the error line and the peak memory.

    .venv/bin/python bench/hostile_files.py [--fuzz 300]

Each file is imported by ``python -m core import`` as a process of its own
into a store that already holds one batch; its peak memory is the process's
own (``wait4``). A file is *refused* when the command exits 2 (5: a full
disk) with one line on stderr and the store unchanged, *imported* when it
exits 0. Rows lost count the data rows of an imported file that are
neither imported nor quarantined; a crash is a traceback, another exit
code, a second stderr line or a changed store after a refusal. The app's
preview of the zip bomb is measured too, and ``--fuzz`` damaged workbooks
go through :func:`core.ingest.importer.import_bytes` in one process.

Prints a Markdown table on stdout and the totals last; exits 1 when a row
was lost or anything crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.workloads import hostile_files as hf  # noqa: E402

CAP = 3 << 30  # address space of each run: a regression fails here, not the machine
PEOPLE = [["姓名", "手机"], *([f"客户{i}", f"138{i:08d}"] for i in range(100))]


@dataclass
class Case:
    name: str
    write: Callable[[Path], Path]
    rows: int | None = None  # data rows of a file that must be imported; None: must be refused


def _bytes(name: str, make: Callable[[], bytes]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(make())
        return path

    return write


def _csv(name: str, lines: list[bytes]) -> Callable[[Path], Path]:
    return _bytes(name, lambda: b"\r\n".join(lines) + b"\r\n")


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _with_sheet(body: bytes) -> Callable[[], bytes]:
    return lambda: hf.with_part(hf.workbook(PEOPLE), hf.SHEET, hf.sheet_xml(body))


def _giant_cell() -> bytes:
    giant = "".join(random.Random(1).choices(string.ascii_letters, k=3 << 20))
    return hf.with_part(
        hf.workbook(PEOPLE), hf.SHEET, hf.sheet_xml(hf.inline_row(1, "姓名", giant))
    )


def _encrypted() -> bytes:
    data = bytearray(hf.workbook(PEOPLE))
    data[data.rfind(b"PK\x01\x02") + 8] |= 0x1
    return bytes(data)


def _broken_zip() -> bytes:
    data = bytearray(hf.workbook(PEOPLE))
    data[200:260] = b"\x00" * 60
    return bytes(data)


def _mixed() -> list[bytes]:
    lines = ["姓名,手机"] + [
        f"{PEOPLE[1 + i % 100][0]},{PEOPLE[1 + i % 100][1]}" for i in range(200)
    ]
    return [line.encode("gbk") if n % 3 == 2 else line.encode() for n, line in enumerate(lines)]


CASES = [
    Case("stale dimension A1:B11 (100 rows)", _bytes("stale-rows.xlsx",
         lambda: hf.with_dimension(hf.workbook(PEOPLE), "A1:B11")), rows=100),
    Case("stale dimension A1:A101 (a column hidden)", _bytes("stale-cols.xlsx",
         lambda: hf.with_dimension(hf.workbook(PEOPLE), "A1:A101")), rows=100),
    Case("XLSX rows with blank last cells", _bytes("blank-last.xlsx", lambda: hf.workbook(
         [["姓名", "手机", "备注"], ["张伟", "13800000001", None], ["王芳", "13800000002", "VIP"],
          ["李娜", "13800000003", None], ["刘洋", "13800000004", None]])), rows=4),
    Case("a 100 MB line in a CSV", _csv("long-line.csv", [b"name,mobile,notes",
         b"Wei,13800000001," + b"x" * (100 << 20), b"Fang,13800000002,ok"]), rows=2),
    Case("zip bomb: 2 MB unpacking to 2 GiB", _bytes("bomb.xlsx", hf.zip_bomb)),
    Case("zip bomb under the size limit (200 MiB)", _bytes("bomb200.xlsx",
         lambda: hf.zip_bomb(200))),
    Case("truncated sheet XML", _bytes("cut.xlsx",
         lambda: hf.truncated_sheet(hf.workbook(PEOPLE)))),
    Case("damaged zip", _bytes("broken.xlsx", _broken_zip)),
    Case("DTD with entity expansion", _bytes("laughs.xlsx", lambda: hf.with_part(
         hf.workbook(PEOPLE, shared_strings=True), hf.SHARED_STRINGS, hf.BILLION_LAUGHS))),
    Case("2,000,001 shared strings", _bytes("strings.xlsx", lambda: hf.with_part(
         hf.workbook(PEOPLE, shared_strings=True), hf.SHARED_STRINGS,
         hf.many_shared_strings(2_000_001)))),
    Case("repeated row number", _bytes("rows-repeat.xlsx",
         _with_sheet(hf.inline_row(2, "a") + hf.inline_row(2, "b")))),
    Case("row number 1e300", _bytes("rows-huge.xlsx",
         _with_sheet(b'<row r="1e300"><c t="inlineStr"><is><t>x</t></is></c></row>'))),
    Case("a row of 40,000 cells", _bytes("wide.xlsx",
         _with_sheet(b'<row r="1">' + b"<c/>" * 40_000 + b"</row>"))),
    Case("a 3 MiB cell", _bytes("giant.xlsx", _giant_cell)),
    Case("UTF-16 sheet part", _bytes("utf16.xlsx", lambda: hf.with_part(
         hf.workbook(PEOPLE), hf.SHEET, "\ufeff<worksheet/>".encode("utf-16")))),
    Case("encrypted part", _bytes("encrypted.xlsx", _encrypted)),
    Case("UTF-8 and GBK lines mixed", _csv("mixed.csv", _mixed())),
    Case("no header (customer values first)", _csv("headerless.csv",
         ["张三,13812345678,zhangsan@qq.com".encode(), "李四,13912345678,lisi@qq.com".encode()])),
    Case("/dev/zero", lambda folder: Path("/dev/zero")),
    Case("a FIFO nobody writes to", _fifo),
    Case("a directory", lambda folder: folder),
]  # fmt: skip


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    peak: int  # the process's own peak RSS, in bytes (from wait4)
    seconds: float


def run(args: list[str]) -> Run:
    """``python ARGS`` as a process of its own, under :data:`CAP`."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out, stderr=err,
                                text=True, preexec_fn=limit)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read(), err.read(), usage.ru_maxrss * 1024,
                   time.perf_counter() - started)  # fmt: skip


def state(db: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "select (select count(*) from import_batches), (select count(*) from source_records),"
            " (select count(*) from quarantine), (select max(seq) from audit_log)"
        ).fetchone()
    finally:
        conn.close()


def fuzz(count: int, folder: Path) -> tuple[int, int, list[str]]:
    """``count`` damaged workbooks through import_bytes in this process:
    (imported, refused, crashes)."""
    from core.actors import Actor
    from core.errors import StewardError
    from core.ingest.importer import import_bytes
    from core.store import open_store

    base = hf.parts(hf.workbook(PEOPLE[:8], shared_strings=True))
    rng = random.Random(14)
    imported = refused = 0
    crashes: list[str] = []
    with open_store(folder / "fuzz.db") as store:
        for n in range(count):
            name = rng.choice([*base, hf.SHEET, hf.SHEET, hf.SHARED_STRINGS])
            content = bytearray(base[name])
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(len(content) + 1)
                kind = rng.choice(("cut", "byte", "copy"))
                if kind == "cut":
                    del content[at:]
                elif kind == "byte" and at < len(content):
                    content[at] = rng.randrange(256)
                else:
                    content[at:at] = content[at : at + rng.randint(1, 40)]
            data = hf.rezip({**base, name: bytes(content)})
            try:
                import_bytes(store, data, f"fuzz{n}.xlsx", source=f"fuzz{n}",
                             actor=Actor("bench", "system"))  # fmt: skip
                imported += 1
            except StewardError:
                refused += 1
            except Exception as exc:  # the point: anything else is a crash
                crashes.append(f"{n}: {type(exc).__name__}: {exc}"[:200])
    return imported, refused, crashes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fuzz", type=int, default=300, help="damaged workbooks imported in-process")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hostile-files-"))
    good = folder / "good.csv"
    good.write_text("姓名,手机\n王芳,13700000000\n", encoding="utf-8")
    lost = crashes = 0
    bomb_peak = 0
    print("| file | outcome | exit | rows lost | peak MB | seconds | stderr, or the counts |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n, case in enumerate(CASES):
        db = folder / f"store{n}.db"
        first = run(["-m", "core", "import", str(good), "--db", str(db), "--source", "s"])
        assert first.code == 0, first.err
        before = state(db)
        path = case.write(folder)
        done = run(["-m", "core", "import", str(path), "--db", str(db), "--source", "hostile"])
        lines = done.err.splitlines()
        shown = lines[-1] if lines else ""
        crashed = "Traceback" in done.err or done.code not in (0, 2, 5)
        missing = 0
        if case.rows is None:
            outcome = "refused" if done.code in (2, 5) else "IMPORTED"
            crashed |= done.code not in (2, 5) or len(lines) != 1 or state(db) != before
        elif done.code == 0:
            outcome = "imported"
            result = json.loads(done.out.splitlines()[-1])
            missing = case.rows - result["rows_imported"] - result["rows_quarantined"]
            shown = f"{result['rows_imported']} imported, {result['rows_quarantined']} quarantined"
        else:
            outcome, missing, crashed = "REFUSED", case.rows, True
        lost += max(missing, 0)
        crashes += crashed
        if path.name == "bomb.xlsx":
            bomb_peak = done.peak
        shown = (shown[:110] + "…") if len(shown) > 110 else shown
        print(
            f"| {case.name} | {outcome}{' CRASH' if crashed else ''} | {done.code} | {missing} "
            f"| {done.peak / 2**20:.0f} | {done.seconds:.1f} | {shown.replace('|', '/')} |"
        )
    preview = run(["-c", (
        "import sys; from core.errors import StewardError; from core.ingest.preview import "
        "preview_bytes; from core.settings import Settings\n"
        "try:\n    preview_bytes(open(sys.argv[1], 'rb').read(), 'bomb.xlsx', Settings())\n"
        "except StewardError as exc:\n    print(exc, file=sys.stderr)\n"
    ), str(folder / "bomb.xlsx")])  # fmt: skip
    refused_preview = preview.code == 0 and "would unpack" in preview.err
    print(
        f"| zip bomb in the app's preview | {'refused' if refused_preview else 'CRASH'} | – | 0 "
        f"| {preview.peak / 2**20:.0f} | {preview.seconds:.1f} | {preview.err.strip()[:110]} |"
    )
    crashes += not refused_preview
    imported, refused, fuzz_crashes = fuzz(args.fuzz, folder)
    crashes += len(fuzz_crashes)
    for crash in fuzz_crashes:
        print(f"fuzz crash {crash}", file=sys.stderr)
    print()
    print(
        f"hostile files: {len(CASES) + args.fuzz} ({len(CASES)} crafted through the command "
        f"line, {args.fuzz} damaged workbooks fuzzed in-process: {imported} imported, "
        f"{refused} refused); rows lost: {lost}; crashes: {crashes}; peak memory on the 2 MB "
        f"zip bomb: {bomb_peak / 2**20:.0f} MB (command line), {preview.peak / 2**20:.0f} MB "
        "(preview)"
    )
    return 1 if lost or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
