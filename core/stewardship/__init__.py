"""Stewardship: customers (golden records) and every decision on them.

This stage owns customers with their surviving values and provenance, the
survivorship rules, what every decision shares (versions, claims,
validation, the undo record), merge and reject, unmerge, picks and edits
of values, moves of records between customers, and what the steward pages
read: the queue, the workbench view, the customer card and search.

It may import the ground floor, :mod:`core.standardize` and
:mod:`core.matching` (explanations of proposals); nothing above it.
"""
