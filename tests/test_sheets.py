"""Spreadsheet writing: no cell can execute in Excel, CSV is UTF-8 with a BOM."""

import csv
import io
import re

import openpyxl
import pytest

from core.errors import InputError
from core.sheets import safe_csv_cell, write_table, write_workbook

HOSTILE = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=evil",
    "\r=evil",
    '=HYPERLINK("http://x.example","click")',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_cells_that_could_execute_are_prefixed(value):
    assert safe_csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["+8613812345678", "-12.5", "张伟", "a=b", "", "13812345678"])
def test_plain_values_and_e164_phones_are_left_intact(value):
    assert safe_csv_cell(value) == value


def test_csv_export_is_utf8_with_bom_and_neutralised(tmp_path):
    out = tmp_path / "x.csv"
    write_table(out, ["name", "phone"], [["=1+1", "+8613812345678"], ["张伟", ""]])
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["name", "phone"],
            ["'=1+1", "+8613812345678"],
            ["张伟", ""],
        ]


def test_xlsx_export_writes_every_cell_as_text_never_a_formula(tmp_path):
    out = tmp_path / "x.xlsx"
    write_table(out, ["v"], [[v] for v in HOSTILE + ["+8613812345678", "010010"]])
    sheet = openpyxl.load_workbook(out).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # OOXML stores control characters as _xHHHH_ escapes, which Excel decodes
    # and openpyxl leaves as they are.
    values = [
        re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), c.value) for c in cells
    ]
    assert values == HOSTILE + ["+8613812345678", "010010"]
    assert {c.data_type for c in cells} == {"s"}


def test_an_unknown_extension_is_refused(tmp_path):
    with pytest.raises(InputError, match="out.json: choose an output file ending in .csv or .xlsx"):
        write_table(tmp_path / "out.json", ["a"], [])


def test_a_workbook_keeps_numbers_as_numbers_and_text_never_as_a_formula():
    buffer = io.BytesIO()
    write_workbook(buffer, {"KPIs " * 10: (["name", "share"], [["=1+1", 0.5], ["张伟", None]])})
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == ("KPIs " * 10)[:31]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [["name", "share"], ["=1+1", 0.5], ["张伟", None]]
    assert sheet["A2"].data_type == "s" and sheet["B2"].data_type == "n"
