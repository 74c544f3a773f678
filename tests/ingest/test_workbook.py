"""XLSX workbooks: every row and column read whatever the file claims, and
every hostile or damaged workbook refused as a FileFormatError before it
can unpack much (issue 14, findings 1 and 4)."""

from __future__ import annotations

import io
import random
import string
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core.errors import FileFormatError
from core.ingest import workbook
from core.ingest.tabular import read_table
from core.ingest.workbook import Limits, open_sheet
from tests.workloads.hostile_files import (
    BILLION_LAUGHS,
    SHARED_STRINGS,
    SHEET,
    inline_row,
    parts,
    rezip,
    sheet_xml,
    truncated_sheet,
    with_dimension,
    with_part,
    zip_bomb,
)
from tests.workloads.hostile_files import (
    workbook as make_workbook,
)

CUSTOMERS = [["姓名", "手机"], *([f"客户{i}", f"138{i:08d}"] for i in range(100))]


def read_all(data: bytes, limits: Limits | None = None) -> list[list[str]]:
    return [cells for _, cells in open_sheet(data, "f.xlsx", None, limits).rows]


@pytest.mark.parametrize("ref", ["A1:B11", "A1:A101", "A1:A1"], ids=["rows", "columns", "both"])
def test_a_stale_dimension_hides_no_row_and_no_column(ref):
    data = with_dimension(make_workbook(CUSTOMERS), ref)
    sheet = open_sheet(data, "f.xlsx", None)
    assert sheet.line_count == 101
    assert list(sheet.rows) == [(n, row) for n, row in enumerate(CUSTOMERS, start=1)]


def test_the_row_count_comes_from_the_rows_not_the_dimension():
    data = with_dimension(make_workbook(CUSTOMERS), "A1:B1048576")
    assert open_sheet(data, "f.xlsx", None).line_count == 101


def test_a_two_megabyte_zip_bomb_is_refused_before_anything_is_unpacked():
    bomb = zip_bomb()
    assert len(bomb) < 2_500_000
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 2**31
    started = time.perf_counter()
    with pytest.raises(FileFormatError, match=r"would unpack to 2,147,\d{3},\d{3} bytes"):
        read_table(bomb, "bomb.xlsx")
    assert time.perf_counter() - started < 5


def test_a_bomb_under_the_size_limit_is_refused_for_its_ratio():
    with pytest.raises(FileFormatError, match=r"part \d+ unpacks 1,0\d\d times its size"):
        read_table(zip_bomb(200), "bomb.xlsx")


def test_the_limits_follow_the_settings():
    small = make_workbook(CUSTOMERS)
    with pytest.raises(FileFormatError, match="setting xlsx_max_unpacked_mb"):
        read_all(small, Limits(unpacked_bytes=10_000))
    assert len(read_all(small, Limits(unpacked_bytes=1 << 20))) == 101


def test_a_truncated_sheet_is_a_file_format_error_naming_the_last_row_read():
    data = truncated_sheet(make_workbook(CUSTOMERS))
    table = read_table(data, "cut.xlsx")
    with pytest.raises(FileFormatError, match=r"cut.xlsx: sheet 'Sheet' is damaged after row \d+"):
        list(table.rows)


def test_a_damaged_zip_is_a_file_format_error():
    data = bytearray(make_workbook(CUSTOMERS))
    data[200:260] = b"\x00" * 60
    with pytest.raises(FileFormatError, match="bad.xlsx: "):
        list(read_table(bytes(data), "bad.xlsx").rows)


@pytest.mark.parametrize(
    ("part", "content", "message"),
    [
        (SHARED_STRINGS, BILLION_LAUGHS, "holds a DTD"),
        (SHEET, sheet_xml(inline_row(2, "a") + inline_row(2, "b")), "numbers a row 2 after row 2"),
        (SHEET, sheet_xml(inline_row(3, "a") + inline_row(1, "b")), "numbers a row 1 after row 3"),
        (SHEET, sheet_xml(b'<row r="1e300"><c t="inlineStr"><is><t>x</t></is></c></row>'),
         "numbers a row 2,097,152 after row 0"),
        (SHEET, sheet_xml(inline_row(1_048_577, "a")), "rows must rise, up to 1,048,576"),
        (SHEET, sheet_xml(b'<row r="x1"></row>'), "has a row numbered b'x1'"),
        (SHEET, sheet_xml(b'<row r="1">' + b"<c/>" * 40_000 + b"</row>"), "more than 16,384 cells"),
        (SHEET, "\ufeff<worksheet/>".encode("utf-16"), "is UTF-16 XML"),
    ],
    ids=["dtd", "repeated-row", "falling-row", "huge-float-row", "past-excel", "not-a-number",
         "wide-row", "utf-16"],
)  # fmt: skip
def test_hostile_parts_are_refused_naming_the_part_and_the_problem(part, content, message):
    data = with_part(make_workbook(CUSTOMERS, shared_strings=True), part, content)
    with pytest.raises(FileFormatError, match=rf"f\.xlsx: part \d+ \('{part}'\) .*{message}"):
        read_all(data)


def test_a_giant_cell_is_refused_before_the_parser_holds_it():
    rng = random.Random(1)
    giant = "".join(rng.choices(string.ascii_letters, k=3 << 20))  # packs about 1.3 times
    data = with_part(make_workbook(CUSTOMERS), SHEET, sheet_xml(inline_row(1, "姓名", giant)))
    with pytest.raises(FileFormatError, match="run of over 1,048,576 bytes without a tag"):
        read_all(data)


def test_more_shared_strings_than_allowed_are_refused():
    data = make_workbook(CUSTOMERS, shared_strings=True)
    assert len(read_all(data, Limits(shared_strings=202))) == 101
    with pytest.raises(FileFormatError, match="more than 100 shared strings"):
        read_all(data, Limits(shared_strings=100))


def test_an_encrypted_part_is_refused():
    data = bytearray(make_workbook(CUSTOMERS))
    central = data.rfind(b"PK\x01\x02")  # the last part's directory entry
    data[central + 8] |= 0x1
    with pytest.raises(FileFormatError, match="is encrypted"):
        read_all(bytes(data))


def test_a_zip_directory_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_DIRECTORY", 100)
    with pytest.raises(FileFormatError, match="zip directory takes"):
        read_all(make_workbook(CUSTOMERS))


def test_a_prefixed_namespace_is_checked_as_well():
    body = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="2"/><x:row r="2"/></x:sheetData></x:worksheet>'
    )
    with pytest.raises(FileFormatError, match="numbers a row 2 after row 2"):
        read_all(with_part(make_workbook(CUSTOMERS), SHEET, body))


def test_images_and_other_binary_parts_are_not_held_to_xml_rules():
    noise = random.Random(2).randbytes(5 << 20)
    image = b"\x89PNG" + noise.replace(b"<", b"")  # 5 MB without a '<', incompressible
    data = rezip({**parts(make_workbook(CUSTOMERS)), "xl/media/image1.png": image})
    assert len(read_all(data)) == 101


TOKENS = [b'r="999999999"', b'r="0"', b'r="1e300"', b'r="XFD1"', b'r="ZZZZZZZ1"', b't="s"',
          b"<v>99999</v>", b't="e"', b't="d"', b"<v>1e400</v>", b's="9999"', b't="b"',
          b"<v>x</v>", b"<c/>", b"<row/>", b"</row>", b"<!--", b"&amp;", b"&#0;"]  # fmt: skip


BASE = parts(make_workbook(CUSTOMERS[:6], shared_strings=True))  # built once: it holds a time


@st.composite
def damaged_workbooks(draw):
    base = BASE
    name = draw(st.sampled_from([*base, SHEET, SHEET, SHARED_STRINGS]))
    content = bytearray(base[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(content)))
        kind = draw(st.sampled_from(["cut", "byte", "token", "copy"]))
        if kind == "cut":
            del content[at:]
        elif kind == "byte" and at < len(content):
            content[at] = draw(st.integers(0, 255))
        elif kind == "token":
            content[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "copy":
            content[at:at] = content[at : at + draw(st.integers(1, 40))]
    data = rezip({**base, name: bytes(content)})
    if draw(st.booleans()):  # and now and then the zip itself
        raw = bytearray(data)
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        data = bytes(raw)
    return data


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_workbooks())
def test_a_damaged_workbook_is_read_or_refused_as_a_file_format_error(data):
    try:
        for _ in read_table(data, "damaged.xlsx").rows:
            pass
    except FileFormatError as exc:
        assert str(exc).startswith("damaged.xlsx: ")
