"""Reading files as rows of text cells: formats, delimiters, damaged rows."""

import datetime as dt
import io

import openpyxl
import pytest

from core.errors import FileFormatError
from core.ingest.tabular import read_table


def rows_of(data: bytes, name: str = "f.csv", **kw):
    table = read_table(data, name, **kw)
    return table, list(table.rows)


@pytest.mark.parametrize(
    ("text", "sep"),
    [
        ("name,mobile\nA,1\n", ","),
        ("name\tmobile\nA\t1\n", "\t"),
        ("name;mobile;city\nA;1;X\nB;2;Y\n", ";"),
        ("name|mobile\nA|1\n", "|"),
        ('name,notes\nA,"one, two, three"\n', ","),
    ],
    ids=["comma", "tab", "semicolon", "pipe", "commas-inside-quotes"],
)
def test_the_delimiter_is_sniffed(text, sep):
    table, rows = rows_of(text.encode())
    assert table.delimiter == sep
    assert rows[0].cells[:2] == ["name", rows[0].cells[1]]
    assert len(rows[1].cells) == len(rows[0].cells)


def test_a_tsv_extension_means_tab_even_with_commas_in_cells():
    table, rows = rows_of("name\taddress\n张伟\t北京市,朝阳区\n".encode(), "leads.tsv")
    assert table.file_format == "tsv"
    assert rows[1].cells == ["张伟", "北京市,朝阳区"]


def test_cells_keep_leading_zeros_and_na_as_text():
    _, rows = rows_of(b"id,postcode,name\n007,010010,NA\n")
    assert rows[1].cells == ["007", "010010", "NA"]


def test_a_quoted_cell_spanning_lines_stays_one_row_with_its_raw_text():
    data = 'name,notes\r\n张伟,"line one\r\nline two"\r\n李娜,ok\r\n'.encode()
    _, rows = rows_of(data)
    assert [r.cells for r in rows[1:]] == [["张伟", "line one\r\nline two"], ["李娜", "ok"]]
    assert rows[1].raw_text == '张伟,"line one\r\nline two"\r\n'
    assert (rows[1].line_number, rows[2].line_number) == (2, 4)


def test_a_stray_quote_does_not_swallow_the_rest_of_the_file():
    lines = ["name,mobile", '"张伟,13812345678'] + [f"客户{i},1390000{i:04d}" for i in range(100)]
    _, rows = rows_of("\n".join(lines).encode(), max_row_lines=10)
    assert rows[1].problem is not None and rows[1].problem[0] == "row.stray_quote"
    assert rows[1].raw_text == '"张伟,13812345678\n'
    good = [r for r in rows[2:] if r.problem is None]
    assert len(good) == 100
    assert good[-1].cells == ["客户99", "13900000099"]


def test_a_nul_byte_marks_its_row_only():
    _, rows = rows_of(b"name,mobile\nA\x00B,1\nC,2\n")
    assert rows[1].problem[0] == "row.nul_byte"
    assert rows[1].raw_text == "A\\x00B,1\n"
    assert rows[2].problem is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n \n", "the file is empty"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, r"Excel 97-2003 \(.xls\)"),
        (b"%PDF-1.7 ...", "a PDF document"),
        (b"PK\x03\x04garbage-not-a-zip", "not a readable Excel .xlsx workbook"),
        (bytes(range(256)) * 20, "binary file|cannot decode"),
    ],
    ids=["empty", "whitespace", "xls", "pdf", "broken-zip", "binary"],
)
def test_whole_file_problems_name_the_file_and_the_problem(data, message):
    with pytest.raises(FileFormatError, match=rf"^bad\.csv: .*({message})"):
        read_table(data, "bad.csv")


def xlsx_bytes(rows, sheet="客户") -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_come_back_as_the_text_a_person_sees():
    data = xlsx_bytes(
        [
            ["姓名", "手机", "邮编", "生日", "积分", "VIP"],
            ["张伟", 13812345678, "010010", dt.datetime(1990, 3, 1), 12.5, True],
        ]
    )
    table, rows = rows_of(data, "cards.xlsx")
    assert (table.file_format, table.sheet) == ("xlsx", "客户")
    assert rows[1].cells == ["张伟", "13812345678", "010010", "1990-03-01", "12.5", "TRUE"]


def test_an_unknown_sheet_lists_the_sheets():
    with pytest.raises(FileFormatError, match="unknown sheet 'Leads'; the sheets are: 客户"):
        read_table(xlsx_bytes([["姓名"], ["张伟"]]), "cards.xlsx", sheet="Leads")
