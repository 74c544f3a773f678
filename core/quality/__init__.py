"""Quality: how good the data is, and how the stewards keep up.

This stage owns the KPI report (completeness, validity, consistency,
uniqueness, timeliness), the stewardship figures (backlog, throughput,
overturns), daily snapshots, the manager dashboard's reads and its XLSX
export, and the overview counts. KPI targets and their paths are on the
ground floor (:mod:`core.targets`), because the settings validate them.

It may import the ground floor and the stages below it (standardize,
ingest, matching, stewardship, privacy); nothing above it.
"""
