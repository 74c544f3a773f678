"""Import with worker processes and without staging: same rows, same store.

Worker processes and ``stage=False`` only change how rows reach the store.
These tests import the same files every way and compare the tables, and
check the pieces the fast paths rely on (cell encoding, field values,
clean-text reading, rebuilt indexes).
"""

import gc
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.actors import Actor
from core.errors import DuplicateImportError, FileFormatError, StewardError
from core.fields import FIELDS
from core.ingest import chunks as ingest_chunks
from core.ingest import importer as ingest
from core.ingest.importer import import_bytes, import_file
from core.ingest.layout import RowPlan, encode_cells
from core.ingest.mapping import map_columns, order_for_join
from core.ingest.tabular import _delimited_rows
from core.ops.config import set_setting
from core.schema import STD_COLUMNS
from core.settings import Settings
from core.standardize.record import STD_VERSION
from core.store import open_store
from tests.conftest import ROOT, TODAY, write_csv
from tests.ingest.test_import_fuzz import base_file, mutate

TABLES = ("import_batches", "source_records", "standardized", "quarantine")
HEADER = [
    "编号",
    "姓名",
    "手机号",
    "电话",
    "邮箱",
    "公司",
    "地址",
    "城市",
    "生日",
    "最近联系",
    "备注",
]


def sample_rows(n: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    names = ["张伟", "王芳", "欧阳娜娜", "Wei Zhang", "王先生", "", "无", "單雄信"]
    rows = [HEADER]
    for i in range(n):
        rows.append(
            [
                f"C{i}",
                rng.choice(names),
                rng.choice(["138 1234 5678", f"139{i:08d}", "", "12345", "+86 137 0000 1111"]),
                rng.choice(["0571-4709 8888", "010-62345678 转 8021", "", "95588"]),
                rng.choice([f"u{i}@qq.com", "wz@qq.con", "", "N/A", "Info@Acme.cn"]),
                rng.choice(["北京字节跳动科技有限公司", "个人", "", "Acme Ltd."]),
                rng.choice(["北京市朝阳区建国路88号", "朝阳区建国路88号", "", "1 Main St"]),
                rng.choice(["深圳", "", "长春"]),
                rng.choice(["1990/3/1", "2030-01-01", "", "19900301"]),
                rng.choice(["2024-03-01 14:05:06", "2024/3/1 9:58", "", "2026-07-02"]),
                rng.choice(["", "多行\n备注", 'said "hi"']),
            ]
        )
        if i % 97 == 5:
            rows.append(["", "", "", "", "", "", "", "", "", "", ""])  # blank
        if i % 89 == 3:
            rows.append([f"X{i}", "", "", "", "", "", "", "", "", "", "note only"])  # quarantined
    return rows


def dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    out = {}
    for table in TABLES:
        columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
        keep = ", ".join(f"[{c}]" for c in columns if c != "imported_at")
        out[table] = conn.execute(f"select {keep} from {table} order by rowid").fetchall()
    conn.close()
    return out


@pytest.fixture
def parallel(monkeypatch):
    """Let small files use workers, in small pieces."""
    monkeypatch.setattr(ingest_chunks, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr(ingest_chunks, "PARALLEL_MIN_ROWS_UNFORKED", 0)
    monkeypatch.setattr(ingest_chunks, "_PIECE", 23)


def import_every_way(tmp_path, files, ways):
    results = {}
    for workers, stage in ways:
        db = tmp_path / f"w{workers}-{stage}.db"
        calls = []
        with open_store(db) as store:
            set_setting(store, "import_chunk_rows", 100, actor=Actor("t", "system"))
            set_setting(store, "import_workers", workers, actor=Actor("t", "system"))
            for n, path in enumerate(files):
                import_file(
                    store, path, source=f"s{n}", actor=Actor("t", "system"), today=TODAY, stage=stage,
                    id_column="编号", progress=lambda d, t, calls=calls: calls.append(d),
                )  # fmt: skip
        results[(workers, stage)] = (dump(db), calls)
    return results


def test_workers_and_direct_writes_give_the_same_store(tmp_path, parallel, monkeypatch):
    outcomes = []
    run_rows = ingest.run_rows

    def spy(*args, **kwargs):
        outcomes.append((kwargs["workers"], run_rows(*args, **kwargs)))
        return outcomes[-1][1]

    monkeypatch.setattr(ingest, "run_rows", spy)
    files = [
        write_csv(tmp_path / "a.csv", sample_rows(700, seed=1)),
        write_csv(tmp_path / "b.csv", sample_rows(450, seed=2), encoding="gbk"),
    ]
    results = import_every_way(tmp_path, files, [(1, True), (1, False), (2, True), (3, False)])
    (expected, calls), *others = results.values()
    assert len(expected["source_records"]) > 1000 and expected["quarantine"]
    for tables, progress in others:
        assert tables == expected
        assert progress == calls
    # The workers really built the records, in several pieces per file.
    assert [len(o.ranges) > 1 for w, o in outcomes if w] == [True] * 4


@pytest.mark.slow
def test_damaged_files_import_the_same_with_workers(tmp_path, parallel):
    rng = random.Random(11)
    for n in range(25):
        data = mutate(base_file("utf-8") * 8, rng)
        counts = []
        for workers in (1, 2):
            db = tmp_path / f"{n}-{workers}.db"
            with open_store(db) as store:
                set_setting(store, "import_chunk_rows", 40, actor=Actor("t", "system"))
                set_setting(store, "import_workers", workers, actor=Actor("t", "system"))
                try:
                    import_bytes(
                        store, data, "f.csv", source="s", actor=Actor("t", "system"), today=TODAY
                    )
                except StewardError as exc:
                    counts.append(type(exc))
                    continue
            counts.append(dump(db))
        assert counts[0] == counts[1]


def test_without_staging_an_error_leaves_nothing_behind(store, tmp_path):
    ok = write_csv(tmp_path / "ok.csv", [["姓名"], ["张伟"]])
    import_file(store, ok, source="s", actor=Actor("t", "system"), today=TODAY, stage=False)
    before = {t: store.count(t) for t in TABLES}
    header_only = tmp_path / "h.csv"
    header_only.write_text("姓名,手机\n", encoding="utf-8")
    with pytest.raises(FileFormatError):
        import_file(
            store, header_only, source="s", actor=Actor("t", "system"), today=TODAY, stage=False
        )
    with pytest.raises(DuplicateImportError):
        import_file(store, ok, source="s", actor=Actor("t", "system"), today=TODAY, stage=False)

    def fail(done, total):
        raise RuntimeError("interrupted")

    rows = [["姓名", "手机"]] + [[f"客户{i}", f"1381234{i:04d}"] for i in range(30)]
    with pytest.raises(RuntimeError):
        import_file(
            store, write_csv(tmp_path / "c.csv", rows), source="s", actor=Actor("t", "system"),
            today=TODAY, stage=False, progress=fail,
        )  # fmt: skip
    assert {t: store.count(t) for t in TABLES} == before
    assert not store.conn.in_transaction


@pytest.mark.parametrize("stage", [True, False])
def test_indexes_rebuilt_after_a_first_large_import_are_the_same(tmp_path, monkeypatch, stage):
    monkeypatch.setattr(ingest, "_REBUILD_INDEXES_FROM", 1)
    path = write_csv(tmp_path / "a.csv", sample_rows(50))
    schema = "select type, name, tbl_name, sql from sqlite_master order by name"
    with open_store(tmp_path / "fresh.db") as store:
        before = store.conn.execute(schema).fetchall()
        for source in ("s", "t"):
            import_file(
                store, path, source=source, actor=Actor("t", "system"), today=TODAY, id_column="编号",
                stage=stage,
            )  # fmt: skip
            assert store.conn.execute(schema).fetchall() == before
            assert store.conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_worker_count_follows_the_setting_and_the_file_size():
    assert ingest_chunks.worker_count(1, 10**6) == 0
    assert ingest_chunks.worker_count(4, 10**6) == 4
    assert ingest_chunks.worker_count(50, 10**6) == ingest_chunks.MAX_WORKERS
    assert ingest_chunks.worker_count(0, 100) == 0  # small file: one process


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=6))
def test_cells_are_encoded_as_json_dumps_encodes_them(cells):
    assert encode_cells(cells) == json.dumps(cells, ensure_ascii=False)
    plan = RowPlan(
        [f"h{i}" for i in range(len(cells))], map_columns([f"h{i}" for i in range(len(cells))], ()),
        {}, None, Settings(),
    )  # fmt: skip
    extra = {f"h{i}": c for i, c in enumerate(cells) if c != ""}
    assert plan.source_row(cells, 1)[2] == json.dumps(extra, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["", " ", "\u3000", " 张伟 ", "138", "a b"]), min_size=4, max_size=4)
)
def test_field_values_join_columns_as_before(cells):
    headers = ["姓名", "手机", "手机2", "备注"]
    mapping = map_columns(headers, ())
    overrides = [("备注", "name")]
    plan = RowPlan(headers, mapping, order_for_join(mapping, overrides), None, Settings())
    values = dict(zip(FIELDS, plan.values(cells), strict=True))
    for field, columns in plan.joins.items():
        parts = [cells[i] for i in columns if cells[i].strip()]
        expected = parts[0] if len(parts) == 1 else " ".join(p.strip() for p in parts)
        assert values[field] == expected
    assert all(values[f] is None for f in values if f not in plan.joins)


def test_clean_text_is_read_as_damaged_text_would_be():
    text = 'a,b\n"x\ny",2\n\n"unclosed,3\nc,\x00d\n'
    lines = text.splitlines(keepends=True)
    fast = list(_delimited_rows(lines, ",", "utf-8", 50, damaged=False))
    slow = list(_delimited_rows(lines, ",", "utf-8", 50, damaged=True))
    assert fast == slow


def test_workers_started_from_a_threaded_process_give_the_same_store(tmp_path, parallel):
    """A Streamlit server has threads: workers are then not forked from it."""
    path = write_csv(tmp_path / "a.csv", sample_rows(300))
    results = []

    def work(db, workers):
        with open_store(db) as store:
            set_setting(store, "import_workers", workers, actor=Actor("t", "system"))
            import_file(
                store, path, source="s", actor=Actor("t", "system"), today=TODAY, id_column="编号"
            )
        results.append(dump(db))

    work(tmp_path / "one.db", 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert ingest_chunks._context().get_start_method() != "fork"
        worker = threading.Thread(target=work, args=(tmp_path / "two.db", 2))
        worker.start()
        worker.join()
    finally:
        stop.set()
        other.join()
    assert len(results) == 2 and results[0] == results[1]


def _bind_every_column(plan: RowPlan, entity: str = "") -> ingest_chunks.RowShape:
    """The shape of rows as they were written before fixed columns: every
    raw and standardized column bound for every row."""
    return ingest_chunks.RowShape(
        source_insert=ingest_chunks._insert("source_records", ingest_chunks._SOURCE_COLUMNS, {}),
        std_insert=ingest_chunks._insert(
            "standardized", ["record_id", *STD_COLUMNS], {"std_version": STD_VERSION}
        ),
        mapped_values=tuple,
        varying=tuple,
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_rows_with_fixed_columns_are_stored_as_with_every_column_bound(
    tmp_path, parallel, monkeypatch, seed
):
    rng = random.Random(seed)
    # A random selection of the columns (the id and one more at least), so
    # that different fields are unmapped; seed 0 keeps the mobile alone.
    keep = [0, *sorted(rng.sample(range(1, len(HEADER)), rng.randint(1, 10)))] if seed else [0, 2]
    rows = [[row[i] for i in keep] for row in sample_rows(150, seed=seed)]
    path = write_csv(tmp_path / "a.csv", rows)
    stores = []
    for shape in (ingest_chunks.row_shape, _bind_every_column):
        monkeypatch.setattr(ingest_chunks, "row_shape", shape)
        for workers, stage in ((1, False), (1, True), (2, True)):
            db = tmp_path / f"{shape.__name__}-{workers}-{stage}.db"
            with open_store(db) as store:
                set_setting(store, "import_workers", workers, actor=Actor("t", "system"))
                try:
                    import_file(store, path, source="s", actor=Actor("t", "system"), today=TODAY,
                                stage=stage, id_column="编号")  # fmt: skip
                except FileFormatError:  # no column maps to a field: nothing to compare
                    return
            stores.append(dump(db))
    assert all(store == stores[0] for store in stores)
    assert stores[0]["source_records"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(st.sampled_from([" ", "\t", "\u3000", "\xa0", "\n", "x", "张"])), max_size=5)
)
def test_a_row_is_blank_exactly_when_the_join_of_its_cells_is(cells):
    # run_rows tests "".join(cells).strip() instead of each cell's strip().
    assert (not "".join(cells).strip()) == (not any(c.strip() for c in cells))


def test_an_import_in_one_process_leaves_the_garbage_collector_as_it_was(tmp_path):
    path = write_csv(tmp_path / "a.csv", sample_rows(50))
    before = (gc.get_threshold(), gc.get_freeze_count())
    with open_store(tmp_path / "s.db") as store:
        set_setting(store, "import_workers", 1, actor=Actor("t", "system"))
        import_file(
            store, path, source="s", actor=Actor("t", "system"), today=TODAY, id_column="编号"
        )
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


ORPHAN = """
import multiprocessing, os, sys, time
from core.ingest.chunks import die_with_parent

def worker(parent):
    die_with_parent(parent)
    print(os.getpid(), flush=True)  # armed
    time.sleep(120)

if __name__ == "__main__":
    method = sys.argv[1]  # a forkserver worker's parent is the fork server, not this process
    parent = os.getpid() if method == "fork" else 0
    child = multiprocessing.get_context(method).Process(target=worker, args=(parent,))
    child.start()
    time.sleep(120)
"""


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting to be reaped has ended too)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_die_with_the_process_that_started_them(tmp_path, method):
    """Twice, workers outlived a killed import, holding customer data."""
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(script), method], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        ready, _, _ = select.select([parent.stdout], [], [], 30)
        assert ready, "the worker never started"
        child = int(parent.stdout.readline())
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not gone(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the worker outlived its parent")
