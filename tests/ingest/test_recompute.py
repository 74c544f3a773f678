"""Recomputing standardized values from the immutable source records."""

from core.actors import Actor
from core.ingest.importer import import_file
from core.ingest.recompute import restandardize
from core.ops.config import set_setting
from core.standardize.record import STD_VERSION
from tests.conftest import TODAY, write_csv


def test_a_changed_region_is_applied_to_every_record_on_request(store, tmp_path):
    path = write_csv(
        tmp_path / "hk.csv",
        [["姓名", "电话"], ["陈大文", "2827 1936"], ["李娜", "+86 138 1234 5678"]],
    )
    import_file(store, path, source="香港门店", actor=Actor("t", "system"), today=TODAY)
    assert (
        store.conn.execute("select phone from standardized where record_id = 1").fetchone()[0]
        != "+85228271936"
    )

    set_setting(store, "default_region", "HK", actor=Actor("admin", "system"))
    assert restandardize(store) == 0  # nothing is stale: the standardizers did not change
    assert restandardize(store, everything=True) == 2

    phones = store.conn.execute(
        "select phone, std_version from standardized order by record_id"
    ).fetchall()
    assert phones == [("+85228271936", STD_VERSION), ("+8613812345678", STD_VERSION)]
    assert (
        store.conn.execute("select phone from source_records where id = 1").fetchone()[0]
        == "2827 1936"
    )
