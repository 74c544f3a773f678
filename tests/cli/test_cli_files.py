"""The import command on hostile files, inputs that are not files, a full
disk and a kill, as a real process (issue 14, findings 3 to 8): exit 2 (5
for a full disk) with one line on stderr that holds no customer value,
the store unchanged, nothing left in /tmp, no worker left running."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, write_csv
from tests.workloads.hostile_files import truncated_sheet, zip_bomb
from tests.workloads.hostile_files import workbook as make_workbook

pytestmark = pytest.mark.slow

PEOPLE = [["张三", "13812345678", "zhangsan@qq.com"], ["李四", "13912345678", "lisi@qq.com"]]
MEMORY_CAP = 2 << 30  # so that a regression fails the test instead of the machine


def run_measured(
    *args: str,
    env: dict[str, str] | None = None,
    cap: int = MEMORY_CAP,
    fsize: int | None = None,
    timeout: float = 120,
) -> tuple[int, str, int]:
    """Run ``python -m core ARGS``; return its exit code, its stderr and its
    peak memory in bytes (the child's own, from wait4)."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if fsize is not None:  # writes past this size fail, as on a full disk
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    proc = subprocess.Popen(
        [sys.executable, "-m", "core", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
        preexec_fn=limits,
    )  # fmt: skip
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    while (status := os.wait4(proc.pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"still running after {timeout} s")
        time.sleep(0.05)
    _, code, usage = status
    proc.returncode = os.waitstatus_to_exitcode(code)
    return proc.returncode, proc.stderr.read(), usage.ru_maxrss * 1024


def store_state(db: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "select (select count(*) from import_batches), (select count(*) from source_records),"
            " (select count(*) from quarantine), (select max(seq) from audit_log)"
        ).fetchone()
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    good = write_csv(tmp_path / "good.csv", [["姓名", "手机"], ["王芳", "13700000000"]])
    assert run_cli("import", str(good), "--db", str(path), "--source", "s").returncode == 0
    return path


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("error: "), stderr[:2000]
    assert "Traceback" not in stderr
    return stderr


def test_a_zip_bomb_exits_2_in_one_line_and_stays_far_under_500_mb(tmp_path, db):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb())  # 2 MB that unpack to 2 GiB
    before = store_state(db)
    code, stderr, peak = run_measured("import", str(bomb), "--db", str(db), "--source", "x")
    assert code == 2
    assert "bomb.xlsx: its parts would unpack to 2,147," in one_line(stderr)
    assert peak < 500 << 20, f"peak memory {peak / 2**20:.0f} MiB"
    assert store_state(db) == before


def test_a_truncated_sheet_exits_2_in_one_line(tmp_path, db):
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(truncated_sheet(make_workbook([["姓名", "手机"], *PEOPLE] * 50)))
    before = store_state(db)
    code, stderr, _ = run_measured("import", str(cut), "--db", str(db), "--source", "x")
    assert code == 2 and "cut.xlsx: sheet 'Sheet' is damaged after row" in one_line(stderr)
    assert store_state(db) == before


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_an_input_that_is_not_a_file_exits_2_at_once(tmp_path, db, kind):
    path = Path("/dev/zero") if kind == "dev-zero" else tmp_path / "pipe.csv"
    if kind == "fifo":
        os.mkfifo(path)
    code, stderr, peak = run_measured("import", str(path), "--db", str(db), "--source", "x",
                                      timeout=30)  # fmt: skip
    assert code == 2 and "give a regular file" in one_line(stderr)
    assert peak < 500 << 20


def test_a_file_mixing_utf8_and_gbk_exits_2_naming_lines_not_values(tmp_path, db):
    lines = ["姓名,手机"] + [f"{p[0]},{p[1]}" for p in PEOPLE * 100]
    data = b"".join(
        (line.encode("gbk") if n % 3 == 2 else line.encode("utf-8")) + b"\r\n"
        for n, line in enumerate(lines)
    )
    (tmp_path / "mixed.csv").write_bytes(data)
    before = store_state(db)
    code, stderr, _ = run_measured("import", str(tmp_path / "mixed.csv"), "--db", str(db),
                                   "--source", "x")  # fmt: skip
    assert code == 2 and "lines 3, 6, 9, 12, 15 and" in one_line(stderr)
    assert "张三" not in stderr and store_state(db) == before


def test_a_headerless_file_puts_no_customer_value_in_the_log(tmp_path, db):
    path = write_csv(tmp_path / "people.csv", PEOPLE)
    code, stderr, _ = run_measured("import", str(path), "--db", str(db), "--source", "x")
    assert code == 2 and "line 1, has 3 cells of 2, 11, 15 characters" in one_line(stderr)
    for value in ("张三", "13812345678", "zhangsan", "李四", "lisi"):
        assert value not in stderr


def test_a_huge_line_gives_a_short_error_line(tmp_path, db):
    huge = "备" * (20 << 20)  # a 60 MB header cell, quoted back by the message
    path = write_csv(tmp_path / "huge.csv", [["姓名", "手机", huge], ["张三", "13812345678", "x"]])
    code, stderr, _ = run_measured("import", str(path), "--db", str(db), "--source", "x",
                                   "--id-column", "编号")  # fmt: skip
    assert code == 2 and "the file has no column '编号'" in one_line(stderr)
    assert len(stderr.encode()) < 4000


SLOW_WORKERS = """
import sys, time
from core.ingest import chunks
chunks.PARALLEL_MIN_ROWS = chunks.PARALLEL_MIN_ROWS_UNFORKED = 0
chunks._PIECE = 25
write = chunks._write_chunk
def slowly(work):  # so that the import is still running when it is killed
    time.sleep(0.05)
    return write(work)
chunks._write_chunk = slowly
from core.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(c) for c in task.read_text().split())
    return found


def ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_import_leaves_no_worker_and_nothing_in_tmp_and_the_next_import_sweeps(
    tmp_path, db
):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    assert run_cli("settings", "--db", str(db), "--set", "import_workers", "2").returncode == 0
    rows = [["姓名", "手机"]] + [[f"客户{i}", f"138{i:08d}"] for i in range(3000)]
    path = write_csv(tmp_path / "many.csv", rows)
    script = tmp_path / "slow.py"
    script.write_text(SLOW_WORKERS, encoding="utf-8")
    importer = subprocess.Popen(
        [sys.executable, str(script), "import", str(path), "--db", str(db), "--source", "y"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    staging = db.with_name(db.name + "-import")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = children(importer.pid)
        if len(workers) >= 2 and len(list(staging.glob("import-*/worker-*.db"))) >= 2:
            break
        time.sleep(0.05)
    else:
        importer.kill()
        pytest.fail("the import never started its two workers")
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    deadline = time.monotonic() + 10
    while not all(map(ended, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [w for w in workers if not ended(w)]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert alive == [], "workers outlived their killed import"
    assert list(tmp.iterdir()) == []  # no customer data in /tmp
    assert list(staging.glob("import-*/*.db"))  # what the kill left, beside the store
    proc = run_cli("import", str(tmp_path / "good.csv"), "--db", str(db), "--source", "z")
    assert proc.returncode == 0, proc.stderr
    assert not staging.exists()  # swept, and removed once empty
    assert not [p for p in db.parent.iterdir() if "-mj" in p.name]


def test_a_full_disk_exits_5_in_one_line_leaving_the_store_and_no_file_behind(tmp_path, db):
    assert run_cli("settings", "--db", str(db), "--set", "import_workers", "2").returncode == 0
    rows = [["姓名", "手机", "地址"]] + [
        [f"客户{i}", f"138{i:08d}", f"北京市朝阳区建国路{i}号"] for i in range(12_000)
    ]
    path = write_csv(tmp_path / "many.csv", rows)
    before = store_state(db)
    code, stderr, _ = run_measured("import", str(path), "--db", str(db), "--source", "y",
                                   fsize=4_000_000)  # fmt: skip
    assert code == 5, stderr
    assert "store.db: the disk is full or refuses writes" in one_line(stderr)
    assert store_state(db) == before
    assert [p.name for p in tmp_path.iterdir() if "-mj" in p.name] == []
    assert not db.with_name("store.db-import").exists()
