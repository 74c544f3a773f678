"""Character-level slips in Latin text, as in FEBRL and Splink's fake_1000.

Each function takes a true string and a random stream and returns it with
one mistake: a neighbouring key hit, a letter dropped, doubled or two letters
swapped. Strings too short to damage come back unchanged, so callers never
have to check lengths.
"""

from __future__ import annotations

import random

from core.synthetic.vocab_world import FOLD_ACCENTS

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard() -> dict[str, str]:
    """Each letter's neighbours on a QWERTY keyboard: same row, and the keys
    above and below (rows are offset by about half a key)."""
    neighbours: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, key in enumerate(row):
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_ROWS):
                    near += [_ROWS[other][i] for i in (c - 1, c) if 0 <= i < len(_ROWS[other])]
            neighbours[key] = "".join(near)
    return neighbours


_NEIGHBOURS = _keyboard()
_DIGIT_NEIGHBOURS = {str(d): f"{(d - 1) % 10}{(d + 1) % 10}" for d in range(10)}
_FOLD = str.maketrans(FOLD_ACCENTS)
KINDS = ("substitute", "delete", "insert", "transpose")


def _near(ch: str, rng: random.Random) -> str:
    """A key next to ``ch`` on a QWERTY keyboard (digits: ±1), same case."""
    if ch.isdigit():
        return rng.choice(_DIGIT_NEIGHBOURS[ch])
    near = _NEIGHBOURS.get(ch.lower())
    if not near:
        return ch
    hit = rng.choice(near)
    return hit.upper() if ch.isupper() else hit


def typo(text: str, rng: random.Random, kind: str = "") -> str:
    """One slip in ``text``; letters only, never the first one (people get
    initials right far more often than the rest).

    Args:
        text: The true value.
        rng: The random stream.
        kind: One of :data:`KINDS`; random when empty.

    Returns:
        ``text`` with one character substituted by a keyboard neighbour,
        deleted, doubled, or swapped with the next one; unchanged when it has
        fewer than three characters.

    Example:
        >>> typo("London", random.Random(2), "delete") in {"Lndon", "Lodon", "Lonon", "Londn"}
        True
    """
    positions = [i for i in range(1, len(text)) if text[i].isalnum()]
    if len(text) < 3 or not positions:
        return text
    kind = kind or rng.choice(KINDS)
    i = rng.choice(positions)
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "insert":
        extra = text[i] if rng.random() < 0.5 else _near(text[i], rng)
        return text[:i] + extra + text[i:]
    if kind == "transpose" and i + 1 < len(text) and text[i + 1].isalnum():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + _near(text[i], rng) + text[i + 1 :]


def digit_slip(digits: str, rng: random.Random) -> str:
    """One digit off by one, or two neighbouring digits swapped (1971 → 1917)."""
    positions = [i for i, ch in enumerate(digits) if ch.isdigit()]
    if not positions:
        return digits
    i = rng.choice(positions)
    j = i + 1
    if rng.random() < 0.3 and j < len(digits) and digits[j].isdigit() and digits[j] != digits[i]:
        return digits[:i] + digits[j] + digits[i] + digits[j + 1 :]
    return digits[:i] + _near(digits[i], rng) + digits[i + 1 :]


def fold_accents(text: str) -> str:
    """``Müller`` → ``Mueller``, ``Hélène`` → ``Helene``: typed without the key."""
    return text.translate(_FOLD)
