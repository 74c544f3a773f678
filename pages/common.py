"""Shared page helpers: the store for this rerun and the text catalog."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from core.store import Store, open_store

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "demo.db"

TEXT: dict[str, dict[str, str]] = {
    "app.title": {"en": "CRM data steward", "zh": "客户数据治理工作台"},
    "home.title": {"en": "Overview", "zh": "概览"},
    "home.records": {"en": "Source records", "zh": "源记录"},
    "home.quarantined": {"en": "Quarantined rows", "zh": "隔离行"},
    "home.batches": {"en": "Import batches", "zh": "导入批次"},
    "home.no_batches": {
        "en": "No file has been imported yet. Import one with `python -m core import FILE --db DB --source NAME`.",
        "zh": "尚未导入任何文件。请使用 `python -m core import 文件 --db 数据库 --source 渠道` 导入。",
    },
    "home.demo": {
        "en": "Demo database: synthetic customers, not real people.",
        "zh": "演示数据库：虚构客户数据，并非真实人员。",
    },
    "col.id": {"en": "Batch", "zh": "批次"},
    "col.file_name": {"en": "File", "zh": "文件"},
    "col.channel": {"en": "Source", "zh": "来源渠道"},
    "col.imported_by": {"en": "Imported by", "zh": "导入人"},
    "col.imported_at": {"en": "Imported at (UTC)", "zh": "导入时间 (UTC)"},
    "col.encoding": {"en": "Encoding", "zh": "编码"},
    "col.rows_read": {"en": "Rows read", "zh": "读取行数"},
    "col.rows_imported": {"en": "Imported", "zh": "已导入"},
    "col.rows_quarantined": {"en": "Quarantined", "zh": "已隔离"},
}


def lang() -> str:
    """The UI language: the browser's locale, Chinese or English."""
    locale = (st.context.locale or "en") if hasattr(st, "context") else "en"
    return "zh" if locale.lower().startswith("zh") else "en"


def t(key: str) -> str:
    """The text for ``key`` in the UI language, falling back to English."""
    entry = TEXT[key]
    return entry.get(lang(), entry["en"])


def db_path() -> Path:
    """The store file: ``STEWARD_DB``, or the demo database under data/."""
    return Path(os.environ.get("STEWARD_DB") or DEFAULT_DB)


def is_demo() -> bool:
    return db_path().resolve() == DEFAULT_DB.resolve()


def store() -> Store:
    """A store connection for this rerun (connections are thread-bound and
    Streamlit runs each rerun on its own thread)."""
    return open_store(db_path())
