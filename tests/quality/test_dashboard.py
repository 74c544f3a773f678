"""The dashboard's figures: tiles against the last snapshot, the trend,
the heat map, drill-down by batch and the XLSX export."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from core.actors import Actor
from core.ops.config import set_setting
from core.quality.dashboard import TILES, dashboard, drill, heat, kpi_workbook
from core.quality.snapshots import take

TODAY = date(2026, 12, 1)
ADMIN = Actor("admin", "admin")


def test_tiles_compare_with_the_latest_snapshot_before_today(known):
    take(known, today=date(2026, 11, 30))
    known.conn.execute(
        "update kpi_snapshots set metrics = json_set(metrics, '$.records', 10) where scope = 'all'"
    )
    board = dashboard(known, today=TODAY)
    tiles = {t.path: t for t in board.tiles}
    assert [t.path for t in board.tiles] == list(TILES)
    assert board.previous_day == "2026-11-30"
    assert (tiles["records"].value, tiles["records"].previous, tiles["records"].delta) == (
        12,
        10,
        2,
    )
    assert tiles["records"].is_share is False and tiles["duplicate_rate"].is_share is True


def test_without_a_snapshot_there_is_no_change_to_show(known):
    board = dashboard(known, today=TODAY)
    assert board.previous_day is None
    assert all(t.delta is None for t in board.tiles)
    assert board.trend[-1]["day"] == "2026-12-01" and len(board.trend) == 1


def test_a_kpi_below_its_target_is_off_target_and_one_above_is_not(known):
    set_setting(
        known,
        "kpi_targets",
        {"fields.mobile.validity": ">= 98%", "records": ">= 10"},
        actor=ADMIN,
    )
    tiles = {t.path: t for t in dashboard(known, today=TODAY).tiles}
    assert tiles["fields.mobile.validity"].off_target  # 6 of 9 valid
    checks = {c.target.path: c.met for c in dashboard(known, today=TODAY).checks}
    assert checks == {"fields.mobile.validity": False, "records": True}


def test_the_trend_ends_with_today_and_skips_a_snapshot_taken_today(known):
    take(known, today=date(2026, 11, 29))
    take(known, today=TODAY)
    days = [row["day"] for row in dashboard(known, today=TODAY).trend]
    assert days == ["2026-11-29", "2026-12-01"]


def test_the_heat_map_has_a_cell_per_channel_for_each_field_anyone_filled_in(known):
    report = dashboard(known, today=TODAY).report
    validity = heat(report, "validity")
    assert "company" not in validity  # nobody typed a company
    assert validity["mobile"] == {"官网表单": round(4 / 6, 6), "门店登记": round(2 / 3, 6)}
    assert heat(report, "completeness")["email"]["门店登记"] == round(2 / 4, 6)


def test_drilling_into_a_channel_lists_its_batches_for_one_field(known):
    board = dashboard(known, today=TODAY)
    rows = drill(board, "门店登记", "mobile")
    assert [(r["file_name"], r["field"], r["records"]) for r in rows] == [("b.csv", "mobile", 4)]
    assert (rows[0]["invalid"] + rows[0]["suspect"], rows[0]["validity"]) == (1, round(2 / 3, 6))
    assert {r["field"] for r in drill(board, "官网表单")} > {"mobile", "email", "name"}
    assert drill(board, "no such channel") == []


def test_the_workbook_has_a_row_per_scope_with_numbers_as_numbers(known):
    book = openpyxl.load_workbook(io.BytesIO(kpi_workbook(dashboard(known, today=TODAY))))
    assert book.sheetnames == ["headline", "fields", "targets"]
    head = list(book["headline"].iter_rows(values_only=True))
    assert head[0][:3] == ("scope", "records", "customers")
    assert [row[1] for row in head[1:]] == [12, 8, 4, 8, 4]  # all, 2 channels, 2 batches
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)


def test_the_dashboard_counts_the_days_of_generated_history_and_only_those(known):
    from core.actors import SYSTEM
    from core.quality.snapshots import synthesize_history

    take(known, today=date(2026, 11, 30))  # a measured day
    assert dashboard(known, today=TODAY).synthetic_days == 0
    synthesize_history(known, SYSTEM, days=5, today=date(2026, 11, 30))
    assert dashboard(known, today=TODAY).synthetic_days == 5
