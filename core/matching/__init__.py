"""Matching: from source records to explained, banded duplicate proposals.

This stage owns the profiles matching reads and their integer coding,
blocking, per-field comparison levels and the evidence they add up to, the
Fellegi–Sunter model and its training, scoring, average-linkage clustering,
proposals with explained pairs, the reference model for small stores, full
and incremental match runs, the single-record check and the one-shot
``dedupe`` of a file. Pandas is configured in :mod:`core.matching.frames`,
the one place any core module takes it from.

It may import the ground floor, :mod:`core.standardize`,
:mod:`core.ingest` (the reference model and ``dedupe`` import files) and
:mod:`core.synthetic` (the reference model's training data); nothing above it.
"""
