"""AppTest: the landing page renders the store's counts and batches."""

import pytest
from streamlit.testing.v1 import AppTest

from core.ingest import import_file
from core.store import open_store
from tests.conftest import ROOT, TODAY, write_csv


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    db = tmp_path / "app.db"
    monkeypatch.setenv("STEWARD_DB", str(db))
    return db


def run_app():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    return at.run()


def test_the_landing_page_of_an_empty_store_says_how_to_import(app_db):
    at = run_app()
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "0"]
    assert "python -m core import" in at.info[0].value


def test_the_landing_page_shows_counts_and_the_import_batches(app_db, tmp_path):
    rows = [
        ["姓名", "手机"],
        ["张伟", "13812345678"],
        ["", ""],
        ["李娜", "13912345678"],
        ["王芳", "13712345678", "extra"],
    ]
    with open_store(app_db) as store:
        import_file(
            store,
            write_csv(tmp_path / "leads.csv", rows),
            source="官网表单",
            imported_by="li",
            today=TODAY,
        )
    at = run_app()
    assert not at.exception
    assert [m.value for m in at.metric] == ["2", "1"]
    frame = at.dataframe[0].value
    assert list(frame.iloc[0])[1:3] == ["leads.csv", "官网表单"]
    assert "python -m core import" not in " ".join(i.value for i in at.info)
