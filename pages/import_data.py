"""Import: upload a file, check how it will be read and mapped, import it
and match it, then see what was quarantined and why."""

import streamlit as st

from core.fields import FIELDS
from core.ingest.importer import import_bytes
from core.ingest.preview import preview_bytes
from core.matching.runs import run_match
from pages.common import Keys, actor, field_name, guard, inert, shown_errors, store, t
from pages.import_view import quarantine_csv, sample_table

st.title(t("import.title"))
guard("import")
upload = st.file_uploader(t("import.file"), type=["csv", "tsv", "txt", "xlsx"], key="imp_file")
with store() as s:
    settings = s.settings()
    channels = [c for (c,) in s.conn.execute("select distinct channel from import_batches")]
done = st.session_state.get(Keys.IMPORTED)
if done:
    st.success(t("import.done", **done["counts"]), icon=":material/check_circle:")
    if done["quarantine"]:
        st.markdown("**" + t("import.quarantine") + "**")
        st.dataframe(done["quarantine_table"], hide_index=True, key="imp_quarantine")
        st.download_button(t("import.download"), done["quarantine"], "quarantine.csv",
                           mime="text/csv", key="imp_download")  # fmt: skip
if upload is None:
    st.info(t("import.need_file"))
    st.stop()
left, right = st.columns(2)
known = left.selectbox(t("import.source"), ["", *channels], key="imp_source",
                       format_func=lambda c: c or "—")  # fmt: skip
typed = right.text_input(t("import.source_new"), key="imp_source_new")
data = upload.getvalue()
with shown_errors():
    first = preview_bytes(data, upload.name, settings, rows=0)
    limit = int(settings["upload_max_rows"])
    if first.rows_estimate > limit:
        st.error(t("import.too_big", rows=f"{first.rows_estimate:,}", limit=f"{limit:,}"))
        st.stop()
    st.markdown("**" + t("import.mapping") + "**")
    options = ["", *FIELDS]
    overrides = []
    columns = st.columns(4)
    for i, m in enumerate(first.mapping):
        chosen = columns[i % 4].selectbox(
            inert(m.column), options, index=options.index(m.field or ""), key=f"imp_map_{i}",
            format_func=lambda f: field_name(f) if f else t("import.unmapped"),
        )  # fmt: skip
        if chosen != (m.field or ""):
            overrides.append((m.column, chosen or None))
    view = preview_bytes(data, upload.name, settings, overrides=overrides)
    st.caption(t("import.encoding", encoding=view.encoding, format=view.file_format,
                 line=view.header_line, rows=f"{view.rows_estimate:,}"))  # fmt: skip
    st.markdown("**" + t("import.preview") + "**")
    st.dataframe(sample_table(view), hide_index=True, key="imp_preview")
    if view.problems:
        st.markdown("**" + t("import.problems") + "**")
        st.table({"line": [p[0] for p in view.problems], "reason": [p[1] for p in view.problems]})
    source = (typed or known).strip()
    if st.button(t("import.run"), key="imp_run", type="primary", icon=":material/upload:"):
        if not source:
            st.warning(t("import.need_source"))
            st.stop()
        bar = st.progress(0.0, text=t("import.importing"))
        with store() as s:
            result = import_bytes(
                s, data, upload.name, source=source, actor=actor(),
                overrides=overrides, progress=lambda d, n: bar.progress(min(d / max(n, 1), 1.0),
                                                                        text=t("import.importing")),
            )  # fmt: skip
            bar.progress(0.0, text=t("import.matching"))
            stages = iter((0.1, 0.3, 0.5, 0.7, 0.85, 0.95))
            summary = run_match(s, actor=actor(), progress=lambda _: bar.progress(
                next(stages, 0.95), text=t("import.matching")))  # fmt: skip
            bar.progress(1.0, text=t("import.matching"))
            csv_bytes, table = quarantine_csv(s, result.batch_id)
        st.session_state[Keys.IMPORTED] = {
            "counts": {"imported": f"{result.rows_imported:,}",
                       "quarantined": f"{result.rows_quarantined:,}",
                       "proposals": f"{summary.clusters_proposed:,}"},
            "quarantine": csv_bytes, "quarantine_table": table,
        }  # fmt: skip
        st.rerun()
