"""Privacy: a data subject's rights and the lifetime of personal data.

This stage owns revealing one masked value (audited), the export of
everything held about a person, erasure, and the retention of quarantined
rows. What each role sees of personal data (masking) is on the ground
floor, :mod:`core.masking`, because every read function applies it.

It may import the ground floor and the stages below it (standardize,
ingest, matching, stewardship); nothing above it.
"""
