"""Benchmark harness: our dedupe engine versus Splink on CRM and FEBRL data."""
