"""The permission table: the engine enforces it, the README documents it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.actors import PERMISSIONS, ROLES, Actor, allowed, permissions_markdown, require
from core.errors import InputError, PermissionDenied

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_shows_the_permission_table_the_engine_enforces():
    block = re.search(r"<!-- permissions-table:start -->\n(.*?)\n<!-- permissions-table:end -->",
                      README.read_text(encoding="utf-8"), re.S)  # fmt: skip
    assert block, "README.md lost its permissions-table markers"
    assert block.group(1) == permissions_markdown()


@pytest.mark.parametrize("operation", sorted(PERMISSIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_allowed_or_refused_exactly_as_the_table_says(operation, role):
    actor = Actor("someone", role)
    if role in PERMISSIONS[operation]:
        require(actor, operation)
        assert allowed(actor, operation)
    else:
        with pytest.raises(PermissionDenied, match=f"someone \\({role}\\) may not"):
            require(actor, operation)


def test_no_one_but_a_steward_changes_customers_and_only_the_system_auto_merges():
    for operation in ("merge", "reject", "pick", "edit", "attach", "detach", "unmerge"):
        assert PERMISSIONS[operation] == {"steward"}
    assert PERMISSIONS["auto_merge"] == {"system"}


def test_an_unknown_role_or_operation_is_refused_naming_the_right_forms():
    with pytest.raises(InputError, match="use one of steward, manager"):
        Actor("x", "boss")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown operation 'fly'"):
        allowed(Actor("x", "admin"), "fly")
