"""The import's row pipeline: every row read becomes a record or a
quarantined row, records are numbered contiguously in file order, raw values
are kept exactly, standardized rows are what the standardizers give each
record alone, and neither the chunk size nor worker processes (forked or
spawned) change a single row written.

Rows come from a real generated CRM file read by the real reader, with
hand-made rows mixed in whose fate is known by construction.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.fields import FIELDS
from core.ingest import chunks
from core.ingest.chunks import Job, build_chunk, open_scratch, row_shape, run_rows, worker_count
from core.ingest.layout import SOURCE_COLUMNS, RowPlan, encode_cells, find_header
from core.ingest.mapping import find_column, map_columns, order_for_join
from core.ingest.tabular import RawRow, read_table
from core.schema import STD_COLUMNS
from core.settings import Settings
from core.standardize.record import STD_VERSION, standardize_values
from core.store import open_store
from core.synthetic import FLAT_FIELDS, generate_flat_csv
from tests.conftest import TODAY

BATCH, CHANNEL, REGION = 7, "门店登记", "CN"
RECORD_COLUMNS = ("id", "batch_id", "row_number", "line_number", "channel", *SOURCE_COLUMNS)
STD = ("record_id", "std_version", *STD_COLUMNS)
QUARANTINE = ("batch_id", "row_number", "line_number", "raw_text", "reason_code", "reason")
DEFAULTS = Settings()


def plan_for(headers: list[str], settings: Settings = DEFAULTS) -> RowPlan:
    mapping = map_columns(headers, ())
    return RowPlan(headers, mapping, order_for_join(mapping, ()), find_column(headers, "record_id"),
                   settings)  # fmt: skip


def copied(rows: list[RawRow]) -> list[RawRow]:
    """Fresh cell lists: checking a row may trim the cells it is given."""
    return [replace(r, cells=list(r.cells)) for r in rows]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[RawRow]]:
    """The header and data rows of 300 generated CRM records, as the reader gives them."""
    path = generate_flat_csv(tmp_path_factory.mktemp("chunks") / "crm.csv", records=300, seed=4)
    table = read_table(path.read_bytes(), path.name)
    header, rows = find_header(table.rows, path.name, (), 10)
    return [c.strip() for c in header.cells], list(rows)


# Hand-made rows: (what it is, its cells, the reader's problem if any, and the
# fate its construction gives it: 'blank', a quarantine reason code, or None
# for a record).
WIDTH = len(FLAT_FIELDS)


def cells_with(**values: str) -> list[str]:
    cells = [""] * WIDTH
    for field, value in values.items():
        cells[FLAT_FIELDS.index(field)] = value
    return cells


SPECIAL: list[tuple[str, list[str], tuple[str, str] | None, str | None]] = [
    ("blank", [" ", "\u3000", "\t", *[""] * (WIDTH - 3)], None, "blank"),
    ("ragged", ["H1", "张伟", "13812345678"], None, "row.ragged"),
    ("no-identifier", cells_with(record_id="H2", city="北京", source="门店"), None, "row.no_identifier"),
    ("blank-id", cells_with(record_id="  ", name="李娜"), None, "row.missing_id"),
    ("damaged", [], ("row.nul_byte", "the line holds a NUL byte"), "row.nul_byte"),
    ("damaged-but-blank-cells", ["", ""], ("row.stray_quote", "a quote is never closed"), "row.stray_quote"),
    ("exact-raw-values", cells_with(record_id=" H3 ", name="  欧阳娜娜 ", mobile="013800000000",
                                    email="NA", title='said "hi", twice\nthen left'), None, None),
    ("trailing-empty-cells", [*cells_with(record_id="H4", name="王芳"), "", " "], None, None),
]  # fmt: skip


@pytest.fixture(scope="module")
def source(generated) -> tuple[RowPlan, list[RawRow]]:
    """The generated rows with the hand-made ones spread among them."""
    headers, rows = generated
    assert headers == list(FLAT_FIELDS)
    mixed = list(rows)
    for n, (what, cells, problem, _) in enumerate(SPECIAL):
        raw = "|".join(cells) if cells else "\x00" + what
        mixed.insert(5 + 37 * n, RawRow(90_000 + n, cells, raw, problem))
    return plan_for(headers), mixed


def job(plan: RowPlan, scratch: str = "") -> Job:
    return Job(plan, REGION, TODAY, BATCH, CHANNEL, scratch)


def run(conn: sqlite3.Connection, plan: RowPlan, rows: list[RawRow], *, scratch: Path | None = None,
        workers: int = 0, chunk_rows: int = 100, first_id: int = 1, progress=None,
        expected: int | None = None) -> chunks.Outcome:  # fmt: skip
    """run_rows inside one transaction, as the importer calls it."""
    if scratch is not None:
        scratch.mkdir()
    conn.execute("BEGIN")
    outcome = run_rows(
        conn, iter(copied(rows)), job(plan, str(scratch) if scratch else ""), first_id=first_id,
        chunk_rows=chunk_rows, workers=workers, progress=progress,
        expected=len(rows) + 1 if expected is None else expected,
    )  # fmt: skip
    conn.execute("COMMIT")
    return outcome


def scratch(tmp_path: Path, name: str = "staging.db") -> sqlite3.Connection:
    return open_scratch(str(tmp_path / name), create=True)


def select(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], where: str = "",
           params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:  # fmt: skip
    names = ", ".join(f"[{c}]" for c in columns)
    order = "record_id" if table == "standardized" else "id"
    return conn.execute(f"select {names} from {table} {where} order by {order}", params).fetchall()


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "source_records": select(conn, "source_records", RECORD_COLUMNS),
        "standardized": select(conn, "standardized", STD),
        "quarantine": select(conn, "quarantine", QUARANTINE),
    }


def worker_rows(outcome: chunks.Outcome) -> dict[str, list[tuple[Any, ...]]]:
    """The records workers wrote, read range by range from their files."""
    out: dict[str, list[tuple[Any, ...]]] = {"source_records": [], "standardized": []}
    for path, first, last in outcome.ranges:
        conn = sqlite3.connect(path)
        out["source_records"] += select(conn, "source_records", RECORD_COLUMNS,
                                        "where id between ? and ?", (first, last))  # fmt: skip
        out["standardized"] += select(conn, "standardized", STD,
                                      "where record_id between ? and ?", (first, last))  # fmt: skip
        conn.close()
    return out


def expected_fate(rows: list[RawRow], plan: RowPlan) -> list[str | None]:
    """Per input row: 'blank', a quarantine reason code, or None for a record."""
    fates = []
    for row in copied(rows):
        if row.problem is None and not any(c.strip() for c in row.cells):
            fates.append("blank")
        elif row.problem is not None:
            fates.append(row.problem[0])
        else:
            problem = plan.problem(row.cells)
            fates.append(problem[0] if problem else None)
    return fates


# --- counting and numbering ---------------------------------------------------------


def test_every_row_read_is_a_record_or_quarantined_and_blank_rows_are_counted_apart(
    source, tmp_path
):
    plan, rows = source
    conn = scratch(tmp_path)
    counts = run(conn, plan, rows).counts
    fates = expected_fate(rows, plan)
    assert counts == {
        "rows_read": sum(f != "blank" for f in fates),
        "rows_imported": fates.count(None),
        "rows_quarantined": sum(f not in (None, "blank") for f in fates),
        "rows_blank": fates.count("blank"),
    }
    assert counts["rows_read"] == counts["rows_imported"] + counts["rows_quarantined"]
    tables = dump(conn)
    assert len(tables["source_records"]) == len(tables["standardized"]) == counts["rows_imported"]
    assert len(tables["quarantine"]) == counts["rows_quarantined"]


def test_records_are_numbered_contiguously_from_the_first_id_in_file_order(source, tmp_path):
    plan, rows = source
    conn = scratch(tmp_path)
    counts = run(conn, plan, rows, first_id=501).counts
    tables = dump(conn)
    ids = [r[0] for r in tables["source_records"]]
    assert ids == list(range(501, 501 + counts["rows_imported"]))
    assert [r[0] for r in tables["standardized"]] == ids
    # Row numbers count the rows read (blank ones take none), shared out in
    # file order between records and quarantined rows.
    record_numbers = [r[2] for r in tables["source_records"]]
    assert record_numbers == sorted(record_numbers)
    quarantined = [r[1] for r in tables["quarantine"]]
    assert quarantined == sorted(quarantined)
    assert sorted(record_numbers + quarantined) == list(range(1, counts["rows_read"] + 1))
    read = [r for r, fate in zip(rows, expected_fate(rows, plan), strict=True) if fate != "blank"]
    lines = {r[2]: r[3] for r in tables["source_records"]} | {
        r[1]: r[2] for r in tables["quarantine"]
    }
    assert [lines[n] for n in range(1, len(read) + 1)] == [r.line_number for r in read]


def test_a_record_keeps_its_raw_cells_exactly_with_its_batch_channel_and_values(source, tmp_path):
    plan, rows = source
    conn = scratch(tmp_path)
    run(conn, plan, rows)
    records = iter(dump(conn)["source_records"])
    extra_columns = [m.column for m in map_columns(plan.headers, ()) if m.field is None]
    for row, fate in zip(copied(rows), expected_fate(rows, plan), strict=True):
        if fate is not None:
            continue
        stored = dict(zip(RECORD_COLUMNS, next(records), strict=True))
        original = list(row.cells)
        plan.problem(row.cells)  # trims empty cells beyond the header, as the import does
        assert (
            original[: len(row.cells)] == row.cells
            and not "".join(original[len(row.cells) :]).strip()
        )
        assert json.loads(stored["raw_cells"]) == row.cells
        assert stored["raw_cells"] == encode_cells(row.cells)
        assert (stored["batch_id"], stored["channel"]) == (BATCH, CHANNEL)
        assert stored["source_record_id"] == row.cells[0].strip()
        extra = {
            h: c for h, c in zip(plan.headers, row.cells, strict=True) if h in extra_columns and c
        }
        assert json.loads(stored["extra"]) == extra
        assert tuple(stored[f] for f in FIELDS) == plan.values(row.cells)
    assert next(records, None) is None


def test_the_hand_made_rows_meet_the_fate_their_construction_gives_them(source, tmp_path):
    plan, rows = source
    conn = scratch(tmp_path)
    run(conn, plan, rows)
    quarantine = {r[2]: r for r in dump(conn)["quarantine"]}  # by line number
    records = {r[3]: r for r in dump(conn)["source_records"]}
    for n, (what, cells, problem, fate) in enumerate(SPECIAL):
        line = 90_000 + n
        if fate is None:
            assert line in records and line not in quarantine, what
            assert json.loads(records[line][6]) == cells[:WIDTH], what
        elif fate == "blank":
            assert line not in records and line not in quarantine, what
        else:
            assert line not in records, what
            _, _, _, raw_text, code, reason = quarantine[line]
            assert code == fate and reason, what
            assert raw_text == ("|".join(cells) if cells else "\x00" + what), what
            if problem is not None:
                assert reason == problem[1]
    # Raw values are stored as typed: spaces, leading zeros, "NA", quotes, line breaks.
    exact = dict(zip(RECORD_COLUMNS, records[90_000 + 6], strict=True))
    assert (
        exact["source_record_id"],
        exact["name"],
        exact["mobile"],
        exact["email"],
        exact["title"],
    ) == ("H3", "  欧阳娜娜 ", "013800000000", "NA", 'said "hi", twice\nthen left')


@pytest.mark.parametrize(
    ("cells", "code", "message"),
    [
        (["C1", "张伟"], "row.ragged", "the row has 2 cells but the header has 3"),
        (["C1", "", "   "], "row.no_identifier", "no identifying field has a value"),
        ([" ", "张伟", ""], "row.missing_id", "the id column 'record_id' is blank"),
        (["C1", "张" * 11, ""], "row.cell_too_long", "column 'name' holds 11 characters"),
    ],
    ids=["ragged", "no-identifier", "blank-id", "cell-too-long"],
)
def test_an_unusable_row_is_quarantined_with_its_raw_text_and_a_reason(
    tmp_path, cells, code, message
):
    plan = plan_for(["record_id", "name", "mobile"], Settings({"max_cell_chars": 10}))
    raw = ",".join(cells) + " \r\n"  # kept as read, line end and all
    rows = [RawRow(2, ["C0", "李娜", ""], "C0,李娜,\r\n"), RawRow(3, cells, raw)]
    conn = scratch(tmp_path)
    counts = run(conn, plan, rows).counts
    assert (counts["rows_imported"], counts["rows_quarantined"]) == (1, 1)
    ((batch, number, line, raw_text, reason_code, reason),) = dump(conn)["quarantine"]
    assert (batch, number, line, raw_text, reason_code) == (BATCH, 2, 3, raw, code)
    assert message in reason


# --- standardized rows ---------------------------------------------------------------


def assert_standardized_alone(conn: sqlite3.Connection, plan: RowPlan, rows: list[RawRow]) -> None:
    """Each standardized row equals the standardizers' output for that record
    alone (no batch, no fixed columns), and the raw fields are the plan's values."""
    stored = {r[0]: r for r in dump(conn)["source_records"]}
    for record_id, version, *columns in dump(conn)["standardized"]:
        record = dict(zip(RECORD_COLUMNS, stored[record_id], strict=True))
        values = tuple(record[f] for f in FIELDS)
        cells = json.loads(record["raw_cells"])
        assert values == plan.values(cells)
        assert version == STD_VERSION
        assert tuple(columns) == standardize_values([values], region=REGION, today=TODAY)[0]


def test_standardized_rows_are_what_the_standardizers_give_each_record_alone(source, tmp_path):
    plan, rows = source
    conn = scratch(tmp_path)
    counts = run(conn, plan, rows).counts
    assert counts["rows_imported"] > 250
    assert_standardized_alone(conn, plan, rows)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_rows_are_the_same_whichever_fields_a_file_maps(generated, tmp_path_factory, data):
    headers, rows = generated
    kept = data.draw(
        st.lists(st.sampled_from(range(1, WIDTH)), min_size=1, max_size=6, unique=True)
    )
    columns = [0, *sorted(kept)]
    start = data.draw(st.integers(0, len(rows) - 40))
    picked = [replace(r, cells=[r.cells[i] for i in columns]) for r in rows[start : start + 40]
              if len(r.cells) == WIDTH]  # fmt: skip
    plan = plan_for([headers[i] for i in columns])
    conn = scratch(tmp_path_factory.mktemp("mapped"))
    counts = run(conn, plan, picked, chunk_rows=data.draw(st.integers(1, 50))).counts
    assert counts["rows_read"] == counts["rows_imported"] + counts["rows_quarantined"]
    unmapped = [f for f in FIELDS if f not in plan.mapped]
    for record in dump(conn)["source_records"]:
        stored = dict(zip(RECORD_COLUMNS, record, strict=True))
        assert all(stored[f] is None for f in unmapped)
    assert_standardized_alone(conn, plan, picked)


def test_the_same_chunk_is_built_alike_from_its_cells_or_from_their_encoded_text(source):
    plan, rows = source
    usable = [
        r for r, fate in zip(copied(rows), expected_fate(rows, plan), strict=True) if fate is None
    ]
    for r in usable:
        plan.problem(r.cells)
    work = [
        (100 + n, n + 1, r.line_number, encode_cells(r.cells), r.cells)
        for n, r in enumerate(usable)
    ]
    encoded = [(*item[:4], None) for item in work]  # what a worker process gets
    shape = row_shape(plan)
    assert build_chunk(job(plan), shape, work) == build_chunk(job(plan), shape, encoded)
    # Each row binds exactly the parameters of its INSERT statement.
    sources, std = build_chunk(job(plan), shape, work[:1])
    assert len(sources[0]) == shape.source_insert.count("?")
    assert len(std[0]) == shape.std_insert.count("?")


# --- chunks, workers, and the real store -------------------------------------------------


@pytest.mark.parametrize(
    "chunk_rows", [1, 7, 1_000_000], ids=["row-by-row", "small-chunks", "one-chunk"]
)
def test_the_chunk_size_changes_no_row_and_progress_counts_up_to_the_rows_read(
    source, tmp_path, chunk_rows
):
    plan, rows = source
    calls: list[tuple[int, int]] = []
    reference = scratch(tmp_path, "reference.db")
    run(reference, plan, rows, chunk_rows=100)
    conn = scratch(tmp_path)
    # The expected count is the file's line count: an estimate, here far too low.
    counts = run(conn, plan, rows, chunk_rows=chunk_rows, expected=10,
                 progress=lambda d, t: calls.append((d, t))).counts  # fmt: skip
    assert dump(conn) == dump(reference)
    done = [d for d, _ in calls]
    assert done == sorted(done) and calls[-1] == (counts["rows_read"], counts["rows_read"])
    assert all(total >= max(d, 9) for d, total in calls)
    assert len(calls) >= -(-counts["rows_read"] // chunk_rows)


def context(method: str):
    """The start method of worker processes, as chunks._context would pick it."""
    return lambda: multiprocessing.get_context(method)


@pytest.mark.parametrize("method", ["fork", "spawn"], ids=["forked-workers", "spawned-workers"])
def test_records_built_by_worker_processes_are_the_records_built_in_this_process(
    source, tmp_path, monkeypatch, method
):
    plan, rows = source
    here_calls: list[int] = []
    here = scratch(tmp_path, "here.db")
    run(here, plan, rows, chunk_rows=60, progress=lambda d, t: here_calls.append(d))
    monkeypatch.setattr(chunks, "_PIECE", 17)  # several pieces per chunk
    monkeypatch.setattr(chunks, "_context", context(method))
    calls: list[int] = []
    conn = scratch(tmp_path)
    outcome = run(conn, plan, rows, scratch=tmp_path / "workers", workers=2, first_id=11,
                  chunk_rows=60, progress=lambda d, t: calls.append(d))  # fmt: skip
    expected = dump(here)
    imported = outcome.counts["rows_imported"]
    # Shift the ids: in this process they started at 1.
    assert worker_rows(outcome) == {
        "source_records": [(r[0] + 10, *r[1:]) for r in expected["source_records"]],
        "standardized": [(r[0] + 10, *r[1:]) for r in expected["standardized"]],
    }
    assert dump(conn) == {
        "source_records": [],
        "standardized": [],
        "quarantine": expected["quarantine"],
    }
    assert calls == here_calls
    # The ranges cover the ids once each, in id order, in files of the scratch folder.
    spans = [(first, last) for _, first, last in outcome.ranges]
    assert spans[0][0] == 11 and spans[-1][1] == 10 + imported
    assert all(b[0] == a[1] + 1 for a, b in zip(spans, spans[1:], strict=False))
    # Contiguous pieces of one file are one range.
    files = [p for p, _, _ in outcome.ranges]
    assert all(a != b for a, b in zip(files, files[1:], strict=False))
    assert {Path(p).parent for p, _, _ in outcome.ranges} == {tmp_path / "workers"}


def test_a_failing_progress_callback_stops_the_workers_and_leaves_no_process_behind(
    source, tmp_path
):
    plan, rows = source

    def interrupted(done: int, total: int) -> None:
        raise RuntimeError("interrupted by the user")

    conn = scratch(tmp_path)
    before = set(multiprocessing.active_children())
    with pytest.raises(RuntimeError, match="interrupted"):
        run(conn, plan, rows, scratch=tmp_path / "workers", workers=2, chunk_rows=50,
            progress=interrupted)  # fmt: skip
    assert set(multiprocessing.active_children()) <= before


def test_rows_written_straight_into_a_real_store_are_the_rows_staged_in_a_scratch_file(
    source, tmp_path
):
    plan, rows = source
    staged = scratch(tmp_path)
    counts = run(staged, plan, rows).counts
    with open_store(tmp_path / "store.db") as store:
        with store.write() as db:
            batch = {"file_name": "crm.csv", "file_sha256": "0" * 64, "file_size": 1, "channel": CHANNEL,
                     "imported_by": "t", "imported_at": "2026-06-30T00:00:00+00:00", "file_format": "csv",
                     "encoding": "utf-8", "header_line": 1, "headers": "[]", "mapping": "[]",
                     "rows_read": 0, "rows_imported": 0, "rows_quarantined": 0, "rows_blank": 0}  # fmt: skip
            batch_id = int(db.table("import_batches").insert(batch).last_pk or 0)
            outcome = run_rows(
                db.conn, iter(copied(rows)), Job(plan, REGION, TODAY, batch_id, CHANNEL),
                first_id=1, chunk_rows=64, workers=0, expected=len(rows) + 1, progress=None,
            )  # fmt: skip
        assert outcome.counts == counts and outcome.ranges == []
        stored = dump(store.conn)
    expected = dump(staged)  # the batch id is the one difference
    assert stored == {
        "source_records": [(r[0], batch_id, *r[2:]) for r in expected["source_records"]],
        "standardized": expected["standardized"],
        "quarantine": [(batch_id, *r[1:]) for r in expected["quarantine"]],
    }


# --- how many workers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "cores", "workers"),
    [(0, 1, 0), (0, 3, 3), (0, 64, chunks.MAX_WORKERS), (1, 8, 0), (5, 1, 5), (50, 2, chunks.MAX_WORKERS)],
    ids=["one-core-means-none", "one-per-core", "cores-capped", "setting-one-means-none",
         "setting-wins-over-cores", "setting-capped"],
)  # fmt: skip
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_worker_count_follows_setting_and_cores_from_the_size_worth_starting_workers_for(
    monkeypatch, setting, cores, workers, method
):
    monkeypatch.setattr(chunks, "_context", context(method))
    monkeypatch.setattr(
        chunks.os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False
    )
    least = chunks.PARALLEL_MIN_ROWS if method == "fork" else chunks.PARALLEL_MIN_ROWS_UNFORKED
    assert worker_count(setting, least) == workers
    assert worker_count(setting, least - 1) == 0
