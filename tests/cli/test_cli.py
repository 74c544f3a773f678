"""The CLI contract: JSON on the last stdout line, and each exit code."""

import json

import pytest

from tests.conftest import run_cli, write_csv

pytestmark = pytest.mark.slow


def last_json(proc):
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def leads(tmp_path):
    return write_csv(
        tmp_path / "leads.csv",
        [
            ["Lead ID", "Name", "Mobile", "Email"],
            ["L1", "Wei Zhang", "+86 138 1234 5678", "wz@qq.com"],
            ["L2", "", "", ""],
        ],
    )


def test_import_prints_its_result_as_json_and_exits_0(tmp_path, leads):
    proc = run_cli(
        "import",
        str(leads),
        "--db",
        str(tmp_path / "s.db"),
        "--source",
        "官网表单",
        "--id-column",
        "Lead ID",
    )
    assert proc.returncode == 0, proc.stderr
    result = last_json(proc)
    assert {
        k: result[k] for k in ("rows_read", "rows_imported", "rows_quarantined", "encoding")
    } == {"rows_read": 2, "rows_imported": 1, "rows_quarantined": 1, "encoding": "utf-8"}
    assert result["mapping"] == {"Name": "name", "Mobile": "mobile", "Email": "email"}
    assert isinstance(result["batch_id"], int)


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda p: p.write_bytes(b""), "empty.csv: the file is empty"),
        (lambda p: p.write_bytes(b"%PDF-1.4 binary"), "empty.csv: this is a PDF document"),
        (
            lambda p: p.write_text("foo,bar\n1,2\n"),
            "empty.csv: no column header matches a customer field",
        ),
    ],
    ids=["empty", "pdf", "no-header"],
)
def test_a_whole_file_error_exits_2_with_one_line_naming_the_file(tmp_path, make_file, message):
    bad = tmp_path / "empty.csv"
    make_file(bad)
    db = tmp_path / "s.db"
    proc = run_cli("import", str(bad), "--db", str(db), "--source", "x")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {message}")
    assert proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_a_missing_file_exits_2(tmp_path):
    proc = run_cli(
        "import", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "s.db"), "--source", "x"
    )
    assert proc.returncode == 2
    assert "nope.csv: cannot read the file" in proc.stderr


def test_a_duplicate_import_exits_2_and_force_imports_it(tmp_path, leads):
    args = ["import", str(leads), "--db", str(tmp_path / "s.db"), "--source", "官网表单"]
    assert run_cli(*args).returncode == 0
    again = run_cli(*args)
    assert again.returncode == 2 and "already imported" in again.stderr
    forced = run_cli(*args, "--force")
    assert forced.returncode == 0 and last_json(forced)["batch_id"] == 2


def test_a_bad_map_or_id_column_exits_2(tmp_path, leads):
    db = str(tmp_path / "s.db")
    proc = run_cli("import", str(leads), "--db", db, "--source", "x", "--map", "Name=nmae")
    assert proc.returncode == 2 and "did you mean 'name'" in proc.stderr
    proc = run_cli("import", str(leads), "--db", db, "--source", "x", "--id-column", "ID")
    assert proc.returncode == 2 and "no column 'ID'" in proc.stderr


def test_export_writes_records_and_exits_0(tmp_path, leads):
    db = str(tmp_path / "s.db")
    run_cli("import", str(leads), "--db", db, "--source", "官网表单")
    out = tmp_path / "records.csv"
    proc = run_cli("export", "--db", db, "--what", "records", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert last_json(proc) == {"what": "records", "out": str(out), "rows": 1, "actor": "system",
                               "masked": False}  # fmt: skip
    assert "+8613812345678" in out.read_text(encoding="utf-8-sig")


def test_export_from_a_missing_database_exits_2(tmp_path):
    proc = run_cli(
        "export",
        "--db",
        str(tmp_path / "none.db"),
        "--what",
        "records",
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert proc.returncode == 2 and "no such database" in proc.stderr
    assert not (tmp_path / "none.db").exists()


def test_usage_errors_exit_2():
    assert run_cli("import").returncode == 2
