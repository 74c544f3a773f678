"""Operations: what an operator runs around the store.

This stage owns online backups and restores, exports of records,
quarantine, customers and proposals, the audited change of a setting, and
the demo database.

It may import every stage below it; only :mod:`core.cli` is above it.
"""
