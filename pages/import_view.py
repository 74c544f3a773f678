"""Tables of the Import page (a helper module beside the pages)."""

from __future__ import annotations

import io

import pandas as pd

from core.ingest.preview import Preview
from core.ops.export import export_quarantine
from core.store import Store
from pages.common import actor, field_name


def sample_table(view: Preview) -> pd.DataFrame:
    """The previewed rows: per field, what was typed and what will be stored."""
    columns = {}
    for key in view.sample[0] if view.sample else {}:
        if key.endswith("_std"):
            columns[key] = f"{field_name(key[:-4])} ✓"
        elif key.endswith("_status"):
            continue
        else:
            columns[key] = field_name(key)
    return pd.DataFrame([{columns[k]: v for k, v in row.items() if k in columns}
                         for row in view.sample])  # fmt: skip


def quarantine_csv(store: Store, batch_id: int) -> tuple[bytes, pd.DataFrame]:
    """The batch's quarantined rows as formula-safe CSV bytes, and as a
    table, as the signed-in user may see them."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q.csv"
        rows = export_quarantine(store, path, viewer=actor(), batch_id=batch_id)
        data = path.read_bytes()
    table = (
        pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False) if rows else pd.DataFrame()
    )
    return (data if rows else b""), table
