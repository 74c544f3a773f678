"""Typed errors raised by the engine.

Every error the engine raises on purpose derives from :class:`StewardError`.
Pages and the CLI catch only these; any other exception is a bug. Each
message names the offending value and, where there is one, the correct
form. ``exit_code`` is what the CLI exits with.

Bad *customer data* is never an exception: standardizers return a status
and a reason, and unusable rows go to quarantine. Errors are for whole
operations that cannot proceed.
"""

from __future__ import annotations


class StewardError(Exception):
    """Base class of every error the engine raises on purpose."""

    exit_code = 2


class InputError(StewardError):
    """The caller's input is wrong: a bad argument, option or setting."""


class FileFormatError(InputError):
    """A whole file cannot be read as a table: empty, binary, undecodable,
    not a table, or an unknown sheet. Nothing was written."""

    def __init__(self, file_name: str, problem: str) -> None:
        super().__init__(f"{file_name}: {problem}")
        self.file_name = file_name
        self.problem = problem


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
