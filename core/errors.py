"""Typed errors raised by the engine.

Every error the engine raises on purpose derives from :class:`StewardError`.
Pages and the CLI catch only these; any other exception is a bug. Each
message names the offending value and, where there is one, the correct
form. ``exit_code`` is what the CLI exits with.

Bad *customer data* is never an exception: standardizers return a status
and a reason, and unusable rows go to quarantine. Errors are for whole
operations that cannot proceed.

Messages end up in cron logs and on screens, so a message about a file
names positions and lengths (line 3, column 2, 11 characters), never the
customer values it holds. Every message is also made safe by
:class:`StewardError` itself, whoever builds it: one line (control
characters such as line breaks are shown as escapes) and at most
:data:`MAX_MESSAGE_CHARS` characters (the middle of a longer one is cut and
the cut is counted), so that no value, however long, can flood a log.
"""

from __future__ import annotations

import re

MAX_MESSAGE_CHARS = 1000
"""The longest message an engine error carries."""

# C0 and C1 controls, line and paragraph separators, and the bidi controls
# that could make a log line read differently from what it holds.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def bounded(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``message`` as one line of at most ``limit`` characters.

    Control characters (line breaks, tabs, terminal escapes, bidi
    overrides) become visible escapes (``\\n``, ``\\t``, ``\\xNN``,
    ``\\uNNNN``); a longer message keeps its start and its end (where the
    fix usually is) and says how much was cut.

    Example:
        >>> bounded("a\\nb")
        'a\\\\nb'
        >>> len(bounded("x" * 10_000)) <= MAX_MESSAGE_CHARS
        True
    """
    text = _CONTROL.sub(_escape, message)
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit - head - 40
    cut = len(text) - head - tail
    return f"{text[:head]} …[{cut:,} characters cut]… {text[len(text) - tail :]}"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    return named or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


class StewardError(Exception):
    """Base class of every error the engine raises on purpose. Its message
    is :func:`bounded`: one line, at most :data:`MAX_MESSAGE_CHARS`."""

    exit_code = 2

    def __init__(self, message: object = "", *args: object) -> None:
        super().__init__(bounded(str(message)), *args)


class InputError(StewardError):
    """The caller's input is wrong: a bad argument, option or setting."""


class FileFormatError(InputError):
    """A whole file cannot be read as a table: empty, binary, undecodable,
    not a table, or an unknown sheet. Nothing was written."""

    def __init__(self, file_name: str, problem: str) -> None:
        super().__init__(f"{file_name}: {problem}")
        self.file_name = bounded(file_name, 300)
        self.problem = bounded(problem)


class DuplicateImportError(InputError):
    """The same file (same SHA-256) was already imported into this source."""


class NotFoundError(InputError):
    """A referenced object (batch, record, proposal, customer) does not exist."""


class PermissionDenied(StewardError):
    """The actor's role does not allow the operation."""

    exit_code = 3


class LoginThrottled(PermissionDenied):
    """Too many failed logins from this client or for this user name: the
    next attempt must wait. Says nothing about whether the name exists (a
    name is throttled whether or not it is a user's)."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = max(1, int(-(-wait_seconds // 1)))
        super().__init__(
            f"too many failed logins; wait {self.wait_seconds} s and try again "
            "(an administrator can lift the wait: python -m core users unlock)"
        )


class ConflictError(StewardError):
    """Someone else changed the object first (version check failed), or it
    is claimed by another user."""

    exit_code = 4


class DiskFullError(StewardError):
    """The disk holding the store (or the import's staging files) is full,
    or refuses writes. The transaction was rolled back: nothing was
    written, and no temporary file was left behind."""

    exit_code = 5


class IntegrityError(StewardError):
    """A check on stored data failed (e.g. the audit chain or a merge's
    validation). The operation was rolled back."""

    exit_code = 1


class IncompleteError(StewardError):
    """The change was committed, but a step after the commit could not run
    (the vacuum after an erasure, on a full disk). The message says what
    was committed and the command that finishes the job; nothing should be
    run again but that command."""

    exit_code = 1
