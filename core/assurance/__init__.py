"""Assurance: the auditor's sessions on past decisions.

This stage owns stratified samples of a period's decisions, one sampled
decision in full, verdicts, precision with Wilson intervals, sign-off into
the audit trail, and the HTML and XLSX reports. ("The audit trail" itself,
the hash-chained log of every change, is :mod:`core.trail`.)

It may import the ground floor and the stages below it (standardize,
ingest, matching, stewardship, privacy, quality); nothing above it.
"""
