"""Exports of the store: one row per record, masked for the viewer; the
formula-safe writing itself is tested in tests/test_sheets.py."""

import openpyxl

from core.actors import SYSTEM, Actor
from core.ingest.importer import import_file
from core.ops.export import export_quarantine, export_records
from tests.conftest import TODAY, write_csv


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
    import_file(
        store, path, source="官网表单", actor=Actor("t", "system"), id_column="编号", today=TODAY
    )
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
