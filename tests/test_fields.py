"""The field registry: one table, and every list of fields derived from it."""

from core.fields import (
    FIELDS,
    GOLDEN_FIELDS,
    HEADER_ALIASES,
    IDENTIFYING_FIELDS,
    QUALITY_FIELDS,
    REGISTRY,
    SENSITIVE_FIELDS,
    SPEC,
)
from core.schema import STD_COLUMNS
from core.settings import Settings


def test_every_derived_list_keeps_registry_order_and_only_flagged_fields():
    for derived, flag in ((IDENTIFYING_FIELDS, "identifying"), (GOLDEN_FIELDS, "golden"),
                          (QUALITY_FIELDS, "measured")):  # fmt: skip
        assert list(derived) == [s.name for s in REGISTRY if getattr(s, flag)]
        assert [FIELDS.index(f) for f in derived] == sorted(FIELDS.index(f) for f in derived)
    assert SENSITIVE_FIELDS == {s.name for s in REGISTRY if s.sensitive}


def test_field_names_are_unique_and_each_header_alias_maps_to_one_field():
    assert len(set(FIELDS)) == len(FIELDS) == len(SPEC)
    seen: dict[str, str] = {}
    for field, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            assert alias not in seen, f"{alias!r} maps to both {seen.get(alias)} and {field}"
            seen[alias] = field


def test_fields_that_are_measured_or_sensitive_have_standardized_columns():
    for field in (*QUALITY_FIELDS, *SENSITIVE_FIELDS):
        assert field in STD_COLUMNS, field
    for field in QUALITY_FIELDS:
        assert f"{field}_status" in STD_COLUMNS, field


def test_the_identifying_fields_setting_defaults_to_the_registry():
    assert tuple(Settings()["identifying_fields"]) == IDENTIFYING_FIELDS
