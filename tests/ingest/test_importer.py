"""Import: lineage, quarantine, duplicates, atomicity, GBK round trip,
hostile files and inputs that are not files."""

import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.actors import Actor
from core.errors import DuplicateImportError, FileFormatError, InputError
from core.ingest.importer import import_bytes, import_file
from core.ops.config import set_setting
from core.store import open_store
from tests.conftest import TODAY, write_csv
from tests.workloads.hostile_files import (
    SHEET,
    truncated_sheet,
    with_dimension,
    with_part,
    zip_bomb,
)
from tests.workloads.hostile_files import workbook as make_workbook

HEADER = ["客户编号", "姓名", "手机号", "邮箱", "地址", "会员等级"]


def do_import(store, path, **kw):
    kw.setdefault("source", "门店登记")
    kw.setdefault("actor", Actor("tester", "system"))
    kw.setdefault("today", TODAY)
    return import_file(store, path, **kw)


def snapshot(store):
    return {
        t: store.count(t)
        for t in ("import_batches", "source_records", "standardized", "quarantine")
    }


def test_rows_read_equals_imported_plus_quarantined_with_a_reason_each(store, tmp_path):
    path = tmp_path / "mixed.csv"
    lines = [
        ",".join(HEADER),
        "C1,张伟,13812345678,zw@qq.com,北京市朝阳区建国路88号,金卡",
        "C2,李娜,13912345678,,,",
        "C3,王芳,13712345678,extra,cells,here,too,many",
        "C4,,,,上海市浦东新区,银卡",
        "",
        "C5,赵磊," + "9" * 40000 + ",,,",
        ",周杰,13612345678,,,",
        "C7,刘洋,13512345678,,,",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = do_import(store, path, id_column="客户编号")
    assert (result.rows_read, result.rows_imported, result.rows_quarantined) == (7, 3, 4)
    assert result.rows_read == result.rows_imported + result.rows_quarantined
    assert result.rows_blank == 1
    reasons = dict(store.conn.execute("select row_number, reason_code from quarantine").fetchall())
    assert reasons == {
        3: "row.ragged",
        4: "row.no_identifier",
        5: "row.cell_too_long",
        6: "row.missing_id",
    }
    raw = store.conn.execute("select raw_text from quarantine where row_number = 3").fetchone()[0]
    assert raw == lines[3] + "\n"
    assert snapshot(store) == {
        "import_batches": 1,
        "source_records": 3,
        "standardized": 3,
        "quarantine": 4,
    }


def test_each_record_keeps_raw_cells_batch_and_position(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [HEADER, ["C9", " 張偉 ", "138 1234 5678", "", "", "金卡"]]
    )
    result = do_import(store, path, id_column="客户编号")
    row = store.conn.execute(
        "select batch_id, row_number, line_number, source_record_id, channel, raw_cells, extra,"
        " name, mobile from source_records"
    ).fetchone()
    assert row[:5] == (result.batch_id, 1, 2, "C9", "门店登记")
    assert json.loads(row[5]) == ["C9", " 張偉 ", "138 1234 5678", "", "", "金卡"]
    assert json.loads(row[6]) == {"客户编号": "C9", "会员等级": "金卡"}
    assert row[7:] == (" 張偉 ", "138 1234 5678")
    std = store.conn.execute("select name, mobile, mobile_status from standardized").fetchone()
    assert std == ("张伟", "+8613812345678", "valid")


def test_the_batch_records_file_hash_source_user_time_and_mapping(store, tmp_path):
    import hashlib

    path = write_csv(tmp_path / "cards.csv", [HEADER, ["C1", "张伟", "13812345678", "", "", ""]])
    result = do_import(store, path, id_column="客户编号", actor=Actor("li.steward", "steward"))
    batch = store.db["import_batches"].get(result.batch_id)
    assert batch["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (batch["file_name"], batch["channel"], batch["imported_by"]) == (
        "cards.csv",
        "门店登记",
        "li.steward",
    )
    assert batch["imported_at"].endswith("+00:00")
    mapping = {m["column"]: m["field"] for m in json.loads(batch["mapping"])}
    assert mapping == {
        "客户编号": None,
        "姓名": "name",
        "手机号": "mobile",
        "邮箱": "email",
        "地址": "address",
        "会员等级": None,
    }
    assert result.mapping == {
        "姓名": "name",
        "手机号": "mobile",
        "邮箱": "email",
        "地址": "address",
    }


def test_without_an_id_column_the_row_number_serves(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [["姓名", "手机"], ["张伟", "13812345678"], ["李娜", "13912345678"]]
    )
    do_import(store, path)
    ids = store.conn.execute("select source_record_id from source_records order by id").fetchall()
    assert ids == [("1",), ("2",)]


def test_gbk_chinese_text_round_trips_exactly(store, tmp_path):
    names = ["张伟", "欧阳娜娜", "單雄信", "曾国藩", "王先生"]
    addresses = [
        "广东省深圳市南山区科技园南路88号",
        "北京市朝阳区建国路88号",
        "浙江省杭州市西湖区文三路1号",
        "上海市浦东新区世纪大道100号",
        "四川省成都市武侯区人民南路4段",
    ]
    rows = [["姓名", "地址", "手机"]] + [
        [n, a, f"1381234567{i}"] for i, (n, a) in enumerate(zip(names, addresses, strict=False))
    ]
    path = write_csv(tmp_path / "store.csv", rows, encoding="gbk")
    result = do_import(store, path)
    assert result.encoding == "gb18030"
    stored = store.conn.execute(
        "select name, address, raw_cells from source_records order by id"
    ).fetchall()
    assert [(n, a) for n, a, _ in stored] == list(zip(names, addresses, strict=False))
    assert [json.loads(c) for _, _, c in stored] == rows[1:]


def test_reimporting_the_same_file_is_refused_unless_forced(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["姓名", "手机"], ["张伟", "13812345678"]])
    first = do_import(store, path)
    with pytest.raises(
        DuplicateImportError,
        match=rf"a.csv: .* already imported into source '门店登记' as batch {first.batch_id} .* --force",
    ):
        do_import(store, path)
    assert snapshot(store)["source_records"] == 1
    do_import(store, path, source="官网表单")
    do_import(store, path, force=True)
    assert snapshot(store)["import_batches"] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("姓名,手机\n", "header row but no data rows"),
        ("foo,bar\n1,2\n", "no column header matches a customer field"),
        ("", "the file is empty"),
    ],
    ids=["header-only", "no-mapping", "empty"],
)
def test_a_whole_file_error_leaves_the_store_exactly_as_before(store, tmp_path, content, message):
    do_import(store, write_csv(tmp_path / "ok.csv", [["姓名"], ["张伟"]]))
    before = snapshot(store)
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError, match=rf"^bad.csv: .*{message}"):
        do_import(store, bad)
    assert snapshot(store) == before


def test_a_duplicate_committed_meanwhile_by_another_process_aborts_the_whole_import(tmp_path):
    """The hash check is repeated inside the write transaction: if another
    importer committed the same file while this one was staging, nothing
    of this import is written."""
    path = write_csv(
        tmp_path / "a.csv",
        [["姓名", "手机"]] + [[f"客户{i}", f"1381234{i:04d}"] for i in range(50)],
    )
    db = tmp_path / "s.db"
    raced = []

    def import_meanwhile(done, total):
        if not raced:
            raced.append(True)
            with open_store(db) as other:
                do_import(other, path)

    with open_store(db) as store:
        with pytest.raises(DuplicateImportError):
            do_import(store, path, progress=import_meanwhile)
        assert snapshot(store) == {
            "import_batches": 1,
            "source_records": 50,
            "standardized": 50,
            "quarantine": 0,
        }


def test_title_rows_above_the_header_are_skipped(store, tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        [["客户导出 2026-06-01"], [], ["姓名", "手机号"], ["张伟", "13812345678"]],
    )
    result = do_import(store, path)
    assert (result.header_line, result.rows_read, result.rows_imported) == (3, 1, 1)


def test_several_mapped_columns_are_joined_with_a_space_in_the_order_given(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [["Given", "Family", "Mobile"], ["Wei", "Zhang", "13812345678"]]
    )
    do_import(store, path, overrides=[("Family", "name"), ("Given", "name")])
    assert store.conn.execute("select name from source_records").fetchone()[0] == "Zhang Wei"


def test_leading_zeros_and_literal_na_survive(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["姓名", "邮编", "备注"], ["NA", "010010", "NA"]])
    do_import(store, path)
    assert store.conn.execute("select name, postcode, notes from source_records").fetchone() == (
        "NA",
        "010010",
        "NA",
    )


def test_progress_is_reported_up_to_the_rows_read(store, tmp_path):
    rows = [["姓名", "手机"]] + [[f"客户{i}", f"1381234{i:04d}"] for i in range(120)]
    calls = []
    set_setting(store, "import_chunk_rows", 50, actor=Actor("t", "system"))
    do_import(
        store, write_csv(tmp_path / "a.csv", rows), progress=lambda d, t: calls.append((d, t))
    )
    assert [d for d, _ in calls] == [50, 100, 120]
    assert all(t >= d for d, t in calls)


def test_bytes_from_an_upload_import_like_a_file(store):
    data = "姓名\t手机\n张伟\t13812345678\n".encode("utf-16")
    result = import_bytes(
        store, data, "upload.txt", source="微信活动", actor=Actor("u", "system"), today=TODAY
    )
    assert (result.encoding, result.file_format, result.rows_imported) == ("utf-16", "tsv", 1)


def test_damaged_rows_right_below_the_header_are_quarantined_not_dropped(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("姓名,手机\n张\x00伟,13812345678\n\n李娜,13912345678\n".encode())
    result = do_import(store, path)
    assert (result.rows_read, result.rows_imported, result.rows_quarantined, result.rows_blank) == (
        2,
        1,
        1,
        1,
    )
    assert store.conn.execute("select reason_code from quarantine").fetchone()[0] == "row.nul_byte"


# -- issue 14: rows never vanish, hostile files change nothing ---------------------------------

CUSTOMERS = [["姓名", "手机"], *([f"客户{i}", f"138{i:08d}"] for i in range(100))]


def import_data(store, data, name, **kw):
    kw.setdefault("source", "展会名片")
    kw.setdefault("actor", Actor("tester", "system"))
    return import_bytes(store, data, name, today=TODAY, **kw)


def whole_store(store):
    head = store.conn.execute("select count(*), max(seq) from audit_log").fetchone()
    return {**snapshot(store), "customers": store.count("customers"), "audit": head}


@pytest.mark.parametrize("ref", ["A1:B11", "A1:A101"], ids=["ten-rows", "one-column"])
def test_a_stale_xlsx_dimension_imports_every_row_and_column(store, ref):
    result = import_data(store, with_dimension(make_workbook(CUSTOMERS), ref), "stale.xlsx")
    assert (result.rows_read, result.rows_imported, result.rows_quarantined) == (100, 100, 0)
    assert result.mapping == {"姓名": "name", "手机": "mobile"}
    mobiles = store.conn.execute("select count(*) from source_records where mobile like '138%'")
    assert mobiles.fetchone()[0] == 100


def test_xlsx_rows_whose_last_cells_are_blank_are_imported_whole(store):
    rows = [["姓名", "手机", "备注"], ["张伟", "13800000001", None], ["王芳", "13800000002", "VIP"],
            ["李娜", "13800000003", None], ["刘洋", "13800000004", "老客户"]]  # fmt: skip
    result = import_data(store, make_workbook(rows), "blank-last.xlsx")
    assert (result.rows_read, result.rows_imported, result.rows_quarantined) == (4, 4, 0)
    raw = store.conn.execute("select raw_cells from source_records order by id").fetchone()[0]
    assert json.loads(raw) == ["张伟", "13800000001", ""]


def test_an_xlsx_row_with_a_value_beyond_the_header_is_ragged(store):
    rows = [["姓名", "手机"], ["张伟", "13800000001", None, None], ["王芳", "13800000002", "多"]]
    result = import_data(store, make_workbook(rows), "beyond.xlsx")
    assert (result.rows_imported, result.rows_quarantined) == (1, 1)
    reason = store.conn.execute("select reason_code, line_number from quarantine").fetchone()
    assert reason == ("row.ragged", 3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: zip_bomb(),
        lambda: zip_bomb(200),
        lambda: truncated_sheet(make_workbook(CUSTOMERS)),
        lambda: with_part(make_workbook(CUSTOMERS), SHEET, b"<worksheet><sheetData><row r="),
    ],
    ids=["bomb", "ratio-bomb", "truncated-sheet", "broken-xml"],
)
def test_a_hostile_or_damaged_workbook_leaves_the_store_exactly_as_before(store, make):
    import_data(store, make_workbook(CUSTOMERS), "good.xlsx")
    before = whole_store(store)
    with pytest.raises(FileFormatError, match=r"^hostile\.xlsx: "):
        import_data(store, make(), "hostile.xlsx", source="other")
    assert whole_store(store) == before


@contextmanager
def within(seconds):
    """Fail, instead of hanging, when the block takes longer than ``seconds``."""

    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_only_a_regular_file_is_read(store, tmp_path, kind):
    path = {"device": Path("/dev/null"), "directory": tmp_path}.get(kind, tmp_path / "pipe.csv")
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes to it: opening it to read would wait forever
    expected = {"fifo": r"a FIFO \(named pipe\)", "device": "a device", "directory": "a directory"}[
        kind
    ]
    with within(10), pytest.raises(InputError, match=rf"this is {expected}; give a regular file"):
        do_import(store, path)
    assert snapshot(store)["import_batches"] == 0


def test_a_headerless_file_is_refused_naming_positions_and_lengths_never_values(store, tmp_path):
    people = [["张三", "13812345678", "zhangsan@qq.com"], ["李四", "13912345678", "lisi@qq.com"]]
    with pytest.raises(FileFormatError) as refused:
        do_import(store, write_csv(tmp_path / "people.csv", people))
    message = str(refused.value)
    assert "no column header matches a customer field" in message
    assert "line 1, has 3 cells of 2, 11, 15 characters" in message
    for value in ("张三", "13812345678", "zhangsan", "qq.com", "李四"):
        assert value not in message
