"""Mapping a file's columns onto the canonical customer fields.

Headers are matched on a folded form (see :func:`fold_header`) against the
aliases in :data:`core.fields.HEADER_ALIASES`. Explicit ``--map``
overrides come first; the automatic mapping fills in the rest.

Rules:

* An explicit mapping replaces any automatic mapping to the same field;
  several explicit columns for one field are joined with a space, in the
  order given. ``COLUMN=-`` keeps a column unmapped.
* Automatically, the phone fields (``mobile``, ``phone``) may take several
  columns (手机, 手机2), joined in file order; every other field takes the
  first matching column, and later ones stay extra attributes.
* A column that maps to no field is kept as an extra attribute.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import process

from core.errors import InputError
from core.fields import FIELDS, HEADER_ALIASES, Field
from core.standardize.text import to_simplified

_MULTI_COLUMN: frozenset[Field] = frozenset({"mobile", "phone"})
_NOISE = re.compile(r"[\s_\-.:：*＊()（）\[\]【】/\\#'\"]+")
_PREFIXES = ("客户", "联系人", "顾客", "会员", "customer", "contact", "primary", "main")
_ALIAS_TO_FIELD: dict[str, Field] = {}
for _field, _aliases in HEADER_ALIASES.items():
    for _alias in _aliases:
        _ALIAS_TO_FIELD.setdefault(_NOISE.sub("", to_simplified(_alias.lower())), _field)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Where one column of the file goes."""

    index: int
    column: str
    field: Field | None
    how: Literal["auto", "manual", "none"]


def fold_header(header: str) -> str:
    """The form headers are compared in: NFKC, Simplified, lower case, and
    without spaces, punctuation, brackets or a required-field asterisk.

    Example:
        >>> fold_header(" *E-Mail (必填) ")
        'email必填'
    """
    text = to_simplified(unicodedata.normalize("NFKC", header).lower())
    return _NOISE.sub("", text)


def guess_field(header: str) -> Field | None:
    """The canonical field a header means, or None.

    Tries the folded header, then without trailing digits (手机2), a
    "(必填)"-style note or a generic prefix (客户手机, Contact Email).
    """
    key = fold_header(header)
    candidates = [
        key,
        re.sub(r"\d+$", "", key),
        re.sub(r"(必填|选填|可选|required|optional)$", "", key),
    ]
    for prefix in _PREFIXES:
        candidates += [c[len(prefix) :] for c in list(candidates) if c.startswith(prefix)]
    for candidate in candidates:
        if candidate and candidate in _ALIAS_TO_FIELD:
            return _ALIAS_TO_FIELD[candidate]
    return None


def parse_overrides(pairs: Sequence[str]) -> list[tuple[str, Field | None]]:
    """Parse ``COLUMN=FIELD`` strings (``FIELD`` may be ``-`` for "none").

    Raises:
        InputError: a pair has no ``=`` or names an unknown field; the
            message suggests the closest field name.
    """
    parsed: list[tuple[str, Field | None]] = []
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        column, field = column.strip(), field.strip()
        if not sep or not column:
            raise InputError(f"--map {pair!r}: expected COLUMN=FIELD, e.g. --map 手机号码=mobile")
        if field == "-":
            parsed.append((column, None))
            continue
        if field not in FIELDS:
            hint = process.extractOne(field, FIELDS)
            suggestion = f"; did you mean {hint[0]!r}?" if hint and hint[1] >= 60 else ""
            raise InputError(
                f"--map {pair!r}: unknown field {field!r}{suggestion} "
                f"The fields are: {', '.join(FIELDS)}"
            )
        parsed.append((column, field))  # type: ignore[arg-type]
    return parsed


def map_columns(
    headers: Sequence[str], overrides: Sequence[tuple[str, Field | None]] = ()
) -> list[ColumnMapping]:
    """Map each header to a field, applying explicit overrides first.

    Args:
        headers: the header row's cells, in file order.
        overrides: ``(column, field)`` pairs from :func:`parse_overrides`; a
            column is matched by its exact text, then by its folded form.

    Returns:
        One :class:`ColumnMapping` per header, in file order.

    Raises:
        InputError: an override names a column the file does not have.
    """
    manual: dict[int, Field | None] = {}
    for column, field in overrides:
        index = find_column(headers, column)
        manual[index] = field
    manual_fields = {f for f in manual.values() if f is not None}
    taken: set[Field] = set(manual_fields)
    result: list[ColumnMapping] = []
    for index, header in enumerate(headers):
        if index in manual:
            field = manual[index]
            result.append(ColumnMapping(index, header, field, "manual" if field else "none"))
            continue
        guess = guess_field(header)
        if guess is not None and (guess not in taken or guess in _MULTI_COLUMN - manual_fields):
            taken.add(guess)
            result.append(ColumnMapping(index, header, guess, "auto"))
        else:
            result.append(ColumnMapping(index, header, None, "none"))
    return result


def find_column(headers: Sequence[str], column: str) -> int:
    """The index of ``column`` among ``headers`` (exact text, then folded).

    Raises:
        InputError: no such column; the message lists the columns.
    """
    for index, header in enumerate(headers):
        if header == column:
            return index
    folded = fold_header(column)
    for index, header in enumerate(headers):
        if fold_header(header) == folded:
            return index
    shown = ", ".join(repr(h) for h in headers)
    raise InputError(f"the file has no column {column!r}; its columns are: {shown}")


def order_for_join(
    mapping: Sequence[ColumnMapping], overrides: Sequence[tuple[str, Field | None]]
) -> dict[Field, list[int]]:
    """For each mapped field, the column indexes to join, in the order the
    user gave them (manual) or in file order (automatic)."""
    by_field: dict[Field, list[int]] = {}
    for m in mapping:
        if m.field is not None and m.how == "auto":
            by_field.setdefault(m.field, []).append(m.index)
    headers = [m.column for m in mapping]
    for column, field in overrides:
        if field is not None:
            by_field.setdefault(field, []).append(find_column(headers, column))
    return by_field
