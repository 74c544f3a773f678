"""Retention of quarantined rows: old raw text goes, new rows and every
reason stay, in one audited transaction, and only when configured."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import InputError, PermissionDenied
from core.ingest.importer import import_file
from core.ops.config import set_setting
from core.privacy.retention import marker, purge_quarantine
from core.settings import Settings, coerce
from core.store import Store
from core.users import add_user
from tests.conftest import run_cli, write_csv

TODAY = date(2026, 9, 30)
HEADER = ["id", "姓名", "手机"]
# each file: one good row, a ragged row and a row without an identifying field
OLD_ROWS = [["o1", "张伟", "13812345678"], ["o2", "欧阳娜娜", "13912345678", "多出来的一列"],
            ["o3", "", ""]]  # fmt: skip
NEW_ROWS = [["n1", "李娜", "13987654321"], ["n2", "王芳", "13600001111", "另一列"], ["n3", "", ""]]


def imported(store: Store, folder: Path, name: str, rows: list[list[str]], days_ago: int) -> int:
    """Import a file and date its batch ``days_ago`` days before TODAY."""
    result = import_file(store, write_csv(folder / name, [HEADER, *rows]), source="门店登记",
                         actor=Actor("t", "system"), id_column="id")  # fmt: skip
    at = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), timezone.utc)
    store.conn.execute("update import_batches set imported_at = ? where id = ?",
                       (at.isoformat(timespec="seconds"), result.batch_id))  # fmt: skip
    store.conn.commit()
    return result.batch_id


@pytest.fixture
def two_batches(store: Store, tmp_path: Path) -> tuple[Store, int, int]:
    """A batch imported 120 days before TODAY and one 10 days before, each
    with two quarantined rows."""
    old = imported(store, tmp_path, "old.csv", OLD_ROWS, 120)
    new = imported(store, tmp_path, "new.csv", NEW_ROWS, 10)
    return store, old, new


def quarantined(store: Store) -> dict[int, list[tuple[int, int, int, str, str, str]]]:
    out: dict[int, list[tuple[int, int, int, str, str, str]]] = {}
    for row in store.conn.execute(
        "select batch_id, id, row_number, line_number, raw_text, reason_code, reason "
        "from quarantine order by id"
    ):
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def configure(store: Store, days: int, mode: str = "anonymise") -> None:
    set_setting(store, "quarantine_retention_days", days, actor=Actor("ops", "system"))
    set_setting(store, "quarantine_retention_mode", mode, actor=Actor("ops", "system"))


def test_old_quarantined_rows_lose_their_raw_text_and_keep_everything_else(two_batches):
    store, old, new = two_batches
    configure(store, 90)
    before = quarantined(store)
    assert len(before[old]) == len(before[new]) == 2
    done = purge_quarantine(store, SYSTEM, today=TODAY)
    after = quarantined(store)
    assert (done.mode, done.days, done.cutoff) == ("anonymise", 90, "2026-07-02")
    assert (done.anonymised, done.deleted, done.batches) == (2, 0, (old,))
    assert after[new] == before[new], "rows of a recent batch are kept as they were"
    assert [r[3] for r in after[old]] == [marker(90)] * 2 == ["[removed after 90 days]"] * 2
    keep = [(i, row, line, code, reason) for i, row, line, _, code, reason in before[old]]
    assert [(i, row, line, code, reason) for i, row, line, _, code, reason in after[old]] == keep
    assert "欧阳娜娜" not in json.dumps(after, ensure_ascii=False)


def test_delete_mode_deletes_old_rows_only(two_batches):
    store, old, new = two_batches
    configure(store, 90, "delete")
    before = quarantined(store)
    done = purge_quarantine(store, SYSTEM, today=TODAY)
    assert (done.anonymised, done.deleted, done.batches) == (0, 2, (old,))
    assert quarantined(store) == {new: before[new]}


def test_a_purge_writes_one_audit_entry_with_counts_and_cutoff_and_no_row_contents(two_batches):
    store, old, _ = two_batches
    configure(store, 90)
    done = purge_quarantine(store, SYSTEM, today=TODAY)
    entry = store.conn.execute("select action, object_ids, reason from audit_log where seq = ?",
                               (done.audit_seq,)).fetchone()  # fmt: skip
    ids = json.dumps({"batch": [old]}, separators=(",", ":"))
    assert entry == ("retention", ids, "quarantine_retention_days = 90")
    payload = trail.payload(store.conn, done.audit_seq)
    assert payload == {"mode": "anonymise", "days": 90, "cutoff": "2026-07-02", "rows": 2,
                       "per_batch": {str(old): 2}}  # fmt: skip
    assert trail.verify(store.conn).ok


def test_zero_days_keeps_quarantined_rows_forever(two_batches):
    store, _, _ = two_batches
    before, entries = quarantined(store), store.count("audit_log")
    done = purge_quarantine(store, SYSTEM, today=TODAY + timedelta(days=10_000))
    assert (done.days, done.cutoff, done.anonymised, done.deleted) == (0, None, 0, 0)
    assert quarantined(store) == before and store.count("audit_log") == entries


def test_a_second_run_changes_nothing_and_writes_no_entry(two_batches):
    store, _, _ = two_batches
    configure(store, 90)
    purge_quarantine(store, SYSTEM, today=TODAY)
    after, entries = quarantined(store), store.count("audit_log")
    again = purge_quarantine(store, SYSTEM, today=TODAY)
    assert (again.anonymised, again.batches, again.audit_seq) == (0, (), None)
    assert quarantined(store) == after and store.count("audit_log") == entries


def test_switching_to_delete_later_deletes_the_rows_anonymised_before(two_batches):
    store, old, new = two_batches
    configure(store, 90)
    purge_quarantine(store, SYSTEM, today=TODAY)
    configure(store, 90, "delete")
    done = purge_quarantine(store, SYSTEM, today=TODAY)
    assert (done.deleted, done.batches) == (2, (old,))
    assert set(quarantined(store)) == {new}


def test_a_row_exactly_n_days_old_is_kept_and_one_day_older_is_not(two_batches):
    store, old, _ = two_batches
    configure(store, 120)
    assert purge_quarantine(store, SYSTEM, today=TODAY).anonymised == 0
    assert purge_quarantine(store, SYSTEM, today=TODAY + timedelta(days=1)).batches == (old,)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "quarantine_retention_mode",
            "shred",
            r"'shred' is not valid; use 'anonymise' .* or 'delete'",
        ),
        ("quarantine_retention_mode", "anonymize", r"'anonymize' is not valid; use 'anonymise'"),
        (
            "quarantine_retention_days",
            -1,
            r"-1 is not valid; use 0 \(keep forever\) or a number of days",
        ),
        ("quarantine_retention_days", "ninety", "'ninety' is not valid; expected a value like 0"),
    ],
    ids=["unknown-mode", "us-spelling", "negative-days", "not-a-number"],
)
def test_retention_settings_are_validated_naming_the_right_form(store, name, value, message):
    with pytest.raises(InputError, match=f"setting {name}: {message}"):
        coerce(name, value)
    with pytest.raises(InputError, match=message):
        set_setting(store, name, value, actor=Actor("ops", "system"))


def test_by_default_rows_are_kept_forever_and_retention_would_anonymise():
    defaults = Settings()
    assert defaults["quarantine_retention_days"] == 0
    assert defaults["quarantine_retention_mode"] == "anonymise"
    assert coerce("quarantine_retention_days", "30") == 30
    assert coerce("quarantine_retention_mode", "delete") == "delete"


@pytest.mark.parametrize("role", ["steward", "manager", "auditor"])
def test_only_an_admin_or_the_system_may_apply_retention(two_batches, role):
    store, _, _ = two_batches
    configure(store, 90)
    before = quarantined(store)
    with pytest.raises(PermissionDenied, match=rf"someone \({role}\) may not retention"):
        purge_quarantine(store, Actor("someone", role), today=TODAY)
    assert quarantined(store) == before
    assert purge_quarantine(store, Actor("zhao.admin", "admin"), today=TODAY).anonymised == 2


def test_a_bad_day_is_refused_with_the_expected_form(store):
    with pytest.raises(InputError, match=r"today '30/09/2026': write the day as YYYY-MM-DD"):
        purge_quarantine(store, SYSTEM, today="30/09/2026")


def last_json(proc):
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_retention_runs_from_the_command_line_as_the_system_or_an_admin(two_batches):
    store, old, _ = two_batches
    configure(store, 90, "delete")
    add_user(store, "li.na", "steward", "secret")
    db = str(store.path)
    refused = run_cli("retention", "--db", db, "--actor", "li.na", "--today", "2026-09-30")
    assert refused.returncode == 3 and "li.na (steward) may not retention" in refused.stderr
    done = run_cli("retention", "--db", db, "--today", "2026-09-30")
    assert done.returncode == 0, done.stderr
    assert last_json(done) == {"mode": "delete", "days": 90, "cutoff": "2026-07-02",
                               "anonymised": 0, "deleted": 2, "batches": [old],
                               "audit_seq": store.count("audit_log")}  # fmt: skip
    bad = run_cli("retention", "--db", db, "--today", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
