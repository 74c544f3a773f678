"""`python -m core kpi` and `kpi snapshot` as real processes."""

from __future__ import annotations

import json

import pytest

from tests.conftest import A_ROWS, B_ROWS, run_cli

pytestmark = pytest.mark.slow


def test_kpi_json_prints_one_object_with_the_documented_keys(known):
    done = run_cli("kpi", "--db", str(known.path), "--json", "--today", "2026-12-01")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert {"records", "customers", "duplicate_rate", "dormant_rate", "backlog"} <= set(data)
    assert data["records"] == len(A_ROWS) + len(B_ROWS)
    assert set(data["fields"]["mobile"]) >= {"completeness", "validity", "invalid", "suspect"}
    assert data["fields"]["mobile"]["validity"] == round(6 / 9, 6)


def test_kpi_prints_a_table_with_the_targets_then_the_object(known):
    done = run_cli("kpi", "--db", str(known.path), "--today", "2026-12-01")
    assert done.returncode == 0, done.stderr
    assert "mobile" in done.stdout and "66.7%" in done.stdout
    assert "target fields.mobile.validity >= 98.0%: 66.7% OFF TARGET" in done.stdout
    assert json.loads(done.stdout.splitlines()[-1])["customers"] == 12


def test_kpi_by_channel_gives_one_object_per_channel(known):
    done = run_cli("kpi", "--db", str(known.path), "--by", "channel")
    data = json.loads(done.stdout.splitlines()[-1])
    assert {c: k["records"] for c, k in data.items()} == {"官网表单": 8, "门店登记": 4}


def test_kpi_snapshot_is_idempotent_per_day(known):
    args = ("kpi", "snapshot", "--db", str(known.path))  # today: the day that may be retaken
    first, second = run_cli(*args), run_cli(*args)
    assert json.loads(first.stdout.splitlines()[-1])["replaced"] is False
    assert json.loads(second.stdout.splitlines()[-1])["replaced"] is True
    count = known.conn.execute("select count(*) from kpi_snapshots").fetchone()[0]
    assert count == 3


def test_kpi_snapshot_of_a_past_day_that_has_one_is_refused_and_recorded(known):
    args = ("kpi", "snapshot", "--db", str(known.path), "--today", "2026-12-01")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    kept = known.conn.execute("select day, scope, metrics from kpi_snapshots").fetchall()
    again = run_cli(*args)
    assert again.returncode == 4
    assert again.stderr.startswith("error: kpi snapshot 2026-12-01: that day is past")
    assert known.conn.execute("select day, scope, metrics from kpi_snapshots").fetchall() == kept
    actions = [a for (a,) in known.conn.execute("select action from audit_log order by seq")]
    assert actions[-2:] == ["kpi_snapshot", "kpi_snapshot_refused"]


def test_a_bad_day_or_a_missing_store_is_a_clear_error(known, tmp_path):
    bad = run_cli("kpi", "--db", str(known.path), "--today", "1/12/2026")
    assert bad.returncode == 2 and "write the day as YYYY-MM-DD" in bad.stderr
    missing = run_cli("kpi", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no such database" in missing.stderr


def test_an_audit_session_runs_from_the_command_line_open_judge_sign_report(decided, tmp_path):
    from core.users import add_user

    add_user(decided, "li.audit", "auditor", "s3cret-pass")
    add_user(decided, "wang.fang", "steward", "s3cret-pass")
    db = ("--db", str(decided.path))
    opened = run_cli("audit", "open", *db, "--actor", "li.audit", "--period",
                     "2000-01-01..2099-12-31", "--size", "4", "--seed", "11")  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    session = json.loads(opened.stdout.splitlines()[-1])
    assert session["seed"] == 11 and len(session["decisions"]) == 4
    again = run_cli("audit", "open", *db, "--actor", "li.audit", "--period",
                    "2000-01-01..2099-12-31", "--size", "4", "--seed", "11")  # fmt: skip
    assert json.loads(again.stdout.splitlines()[-1])["decisions"] == session["decisions"]
    sid = str(session["session"])
    early = run_cli("audit", "sign", *db, "--actor", "li.audit", "--session", sid)
    assert early.returncode == 2 and "have no verdict yet" in early.stderr
    no_note = run_cli("audit", "judge", *db, "--actor", "li.audit", "--session", sid,
                      "--decision", str(session["decisions"][0]), "--verdict", "incorrect")  # fmt: skip
    assert no_note.returncode == 2 and "note" in no_note.stderr
    for d in session["decisions"]:
        done = run_cli("audit", "judge", *db, "--actor", "li.audit", "--session", sid,
                       "--decision", str(d), "--verdict", "correct")  # fmt: skip
        assert done.returncode == 0, done.stderr
    signed = run_cli("audit", "sign", *db, "--actor", "li.audit", "--session", sid)
    assert signed.returncode == 0, signed.stderr
    result = json.loads(signed.stdout.splitlines()[-1])
    assert result["verify_ok"] is True and len(result["head_hash"]) == 64
    listed = json.loads(run_cli("audit", "sessions", *db).stdout.splitlines()[-1])
    assert {s["id"]: s["status"] for s in listed["sessions"]} == {
        int(sid): "signed",
        int(sid) + 1: "open",
    }
    report = run_cli("audit", "report", *db, "--session", sid, "--out", str(tmp_path / "r.html"))
    assert report.returncode == 0, report.stderr
    assert result["head_hash"] in (tmp_path / "r.html").read_text(encoding="utf-8")
    steward = run_cli("audit", "open", *db, "--actor", "wang.fang", "--period", "2026-Q3",
                      "--size", "2")  # fmt: skip
    assert steward.returncode == 3 and "may not audit session" in steward.stderr
