"""Engine errors: every message is one bounded line, whoever builds it
(issue 14, finding 8: a 100 MB line once made a 100 MB error line)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import errors
from core.errors import (
    MAX_MESSAGE_CHARS,
    ConflictError,
    DiskFullError,
    DuplicateImportError,
    FileFormatError,
    IncompleteError,
    InputError,
    IntegrityError,
    LoginThrottled,
    NotFoundError,
    PermissionDenied,
    StewardError,
    bounded,
)

KINDS = [StewardError, InputError, DuplicateImportError, NotFoundError, PermissionDenied,
         ConflictError, IntegrityError, DiskFullError, IncompleteError]  # fmt: skip


def test_every_error_class_is_covered_here():
    found = {
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, StewardError)
    }
    assert found == {*KINDS, FileFormatError, LoginThrottled}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_a_message_over_the_limit_keeps_its_start_and_end_and_says_what_was_cut(kind):
    message = "start " + "张" * 10_000_000 + " the fix"
    text = str(kind(message))
    assert len(text) <= MAX_MESSAGE_CHARS
    assert text.startswith("start 张张") and text.endswith("张 the fix")
    assert "[9,999," in text and "characters cut]" in text


def test_a_file_format_error_bounds_the_file_name_and_the_problem_too():
    exc = FileFormatError("x" * 5000 + ".csv", "y" * 5000)
    assert len(str(exc)) <= MAX_MESSAGE_CHARS
    assert len(exc.file_name) <= 300 and len(exc.problem) <= MAX_MESSAGE_CHARS


def test_line_breaks_and_terminal_controls_cannot_add_lines_or_repaint_the_log():
    text = str(InputError("--sheet 'a\nerror: forged line\r\x1b[2K\u202eevil'"))
    assert "\n" not in text and "\r" not in text and "\x1b" not in text and "\u202e" not in text
    assert text == "--sheet 'a\\nerror: forged line\\r\\x1b[2K\\u202eevil'"


@given(st.text(max_size=3000))
def test_any_message_becomes_one_line_within_the_limit(message):
    text = bounded(message)
    assert len(text) <= MAX_MESSAGE_CHARS
    assert len(text.splitlines()) <= 1 and text == text.replace("\n", "")
    if len(message) <= MAX_MESSAGE_CHARS // 6 and message.isprintable():
        assert text == message  # short, printable messages are left alone


def test_a_throttled_login_says_whole_seconds_to_wait_and_how_to_lift_it():
    exc = LoginThrottled(2.1)
    assert exc.wait_seconds == 3 and isinstance(exc, PermissionDenied)
    assert "wait 3 s" in str(exc) and "users unlock" in str(exc)
    assert len(str(exc)) <= MAX_MESSAGE_CHARS
