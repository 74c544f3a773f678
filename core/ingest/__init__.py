"""Ingest: customer files in, source records and quarantine out.

This stage owns reading a file (encoding, CSV/TSV/XLSX tables, the header
row among title rows), mapping its columns onto the canonical fields, the
import itself (staging, quarantine, one short write transaction), the
preview the import page shows, the per-batch quality tallies counted at
import, and the re-standardization of stale records.

It may import the ground floor (store, schema, settings, trail, actors,
errors, fields, clock) and :mod:`core.standardize`; nothing above it.
"""
