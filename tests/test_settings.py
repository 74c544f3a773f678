"""The settings table: typed overrides, and the README documents each one."""

import re
from pathlib import Path

import pytest

from core.errors import InputError
from core.settings import SETTINGS, Settings, coerce, settings_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_configuration_section_is_the_settings_table():
    block = re.search(
        r"<!-- settings-table:start -->\n(.*?)\n<!-- settings-table:end -->",
        README.read_text(encoding="utf-8"),
        re.S,
    )
    assert block, "README.md lost its settings-table markers"
    assert block.group(1) == settings_markdown(), (
        "README's settings table is stale; regenerate it from core.settings.settings_markdown()"
    )
    assert all(f"`{s.name}`" in block.group(1) for s in SETTINGS)


def test_every_setting_has_help_text():
    assert all(len(s.help) > 20 for s in SETTINGS)


def test_defaults_apply_and_overrides_replace_them():
    settings = Settings({"default_region": "SG"})
    assert settings["default_region"] == "SG"
    assert settings["max_cell_chars"] == 32767
    assert settings.replace(max_cell_chars=100)["max_cell_chars"] == 100


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("max_cell_chars", "500", 500),
        ("max_cell_chars", 500.0, 500),
        ("max_decode_error_share", "0.05", 0.05),
        ("identifying_fields", '["name"]', ["name"]),
    ],
)
def test_values_are_coerced_to_the_default_type(name, value, expected):
    assert coerce(name, value) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_cell_chars", "many"),
        ("max_cell_chars", 1.5),
        ("max_cell_chars", True),
        ("default_region", 86),
        ("identifying_fields", "name"),
    ],
)
def test_wrong_types_are_refused_with_the_expected_form(name, value):
    with pytest.raises(InputError, match=f"setting {name}: .* expected a value like"):
        coerce(name, value)
