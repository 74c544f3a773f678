"""The data-steward engine: ingest, standardize, match, merge and audit CRM
customer records. UI-free: nothing under ``core`` imports streamlit."""
