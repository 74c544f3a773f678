"""Exports: one row per record, and no cell can execute in a spreadsheet."""

import csv
import re

import openpyxl
import pytest

from core.actors import SYSTEM
from core.errors import InputError
from core.export import export_quarantine, export_records, safe_csv_cell, write_table
from core.ingest import import_file
from tests.conftest import TODAY, write_csv

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


def test_records_export_has_raw_and_standardized_values(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            ["编号", "姓名", "手机"],
            ["A1", "=HYPERLINK(1)", "138 1234 5678"],
            ["A2", "張偉", "138123456789"],
            ["A3", "", ""],
        ],
    )
    import_file(store, path, source="官网表单", imported_by="t", id_column="编号", today=TODAY)
    out = tmp_path / "records.xlsx"
    assert export_records(store, out, viewer=SYSTEM) == 2
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    got = [dict(zip(header, r, strict=False)) for r in rows[1:]]
    assert [(g["source_record_id"], g["raw_name"], g["name"]) for g in got] == [
        ("A1", "=HYPERLINK(1)", got[0]["name"]),
        ("A2", "張偉", "张伟"),
    ]
    assert (got[0]["mobile"], got[0]["mobile_status"]) == ("+8613812345678", "valid")
    assert got[1]["mobile_status"] == "invalid" and got[1]["mobile_reason"].startswith("phone.")
    assert export_quarantine(store, tmp_path / "q.csv", viewer=SYSTEM) == 1
