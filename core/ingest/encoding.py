"""Decoding customer files: which encoding, and which lines are damaged.

Excel's CSV exports in China are usually GBK, other tools write UTF-8 with
or without a BOM, and Excel's "Unicode text" is UTF-16. Charset detectors
guess wrong on short Chinese text, so the order is fixed:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. strict UTF-8 over the whole file;
3. UTF-8 with a few damaged lines, when the other lines hold plenty of
   clean UTF-8 Chinese. GB18030 decodes almost any byte sequence, so
   without this step one corrupted byte would make a UTF-8 file "valid
   GB18030" and garble every line;
4. strict GB18030 (a superset of GBK and GB2312) over the whole file,
   unless the result looks like Windows-1252 text misread (see
   :func:`_latin_reading`);
5. GB18030 with a few damaged lines;
6. a detector (charset-normalizer) as the last resort.

Damaged lines are quarantined at import, never guessed at.

Decoding uses ``surrogateescape`` so that an undecodable byte survives as
a lone surrogate; :func:`escape_undecodable` turns those into ``\\xNN`` for
display and storage, so no byte is ever lost silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from core.errors import FileFormatError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_HAN = re.compile("[\u4e00-\u9fff]")
_WEDGED = re.compile("(?<=[A-Za-z])[\u4e00-\u9fff](?=[A-Za-z])")
_ALWAYS_TOLERATED = 3
_DETECTABLE = frozenset(
    {"big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"}
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded file: its text, the encoding used and whether some lines
    hold bytes that encoding could not decode (marked as lone surrogates)."""

    text: str
    encoding: str
    damaged: bool


def split_lines(text: str) -> list[str]:
    """Split on CR, LF and CRLF only, keeping the line ends.

    ``str.splitlines`` would also split on U+2028, form feeds and the like,
    which may sit inside a customer's notes.
    """
    return _LINE.findall(text)


def has_undecodable(text: str) -> bool:
    """True when ``text`` holds bytes its encoding could not decode."""
    return _SURROGATE.search(text) is not None


def escape_undecodable(text: str) -> str:
    """Replace each undecodable byte by a visible ``\\xNN`` escape."""
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def decode(
    data: bytes, file_name: str, *, encoding: str | None = None, max_error_share: float = 0.01
) -> Decoded:
    """Decode a whole file in the robust order described in the module doc.

    Args:
        data: the file's bytes (not empty).
        file_name: used in error messages only.
        encoding: force this encoding instead of detecting one; bytes it
            cannot decode are kept as escapes and their lines quarantined.
        max_error_share: the largest share of lines that may fail to decode
            before the file is refused as a whole.

    Raises:
        FileFormatError: the forced encoding is unknown, or no encoding reads
            the file with few enough damaged lines.

    Example:
        >>> decode("张伟,13812345678".encode("gbk"), "a.csv").encoding
        'gb18030'
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FileFormatError(
                file_name, f"unknown encoding {encoding!r}; use e.g. utf-8, gb18030 or utf-16"
            ) from None
        text = data.decode(encoding, "surrogateescape")
        return Decoded(text, encoding, has_undecodable(text))
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data.decode(name, "surrogateescape")
            return Decoded(text, name, has_undecodable(text))
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    damaged = _damaged(data, "utf-8", max_error_share)
    if damaged is not None:
        return damaged
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        return _latin_reading(data, text) or Decoded(text, "gb18030", False)
    latin = _latin_reading(data, data.decode("gb18030", "surrogateescape"))
    if latin is not None:
        return latin
    damaged = _damaged(data, "gb18030", max_error_share)
    if damaged is not None:
        return damaged
    guess = _detect(data)
    if guess is not None:
        return guess
    raise FileFormatError(
        file_name,
        "cannot decode the text: it is not UTF-8, UTF-16 or GBK/GB18030 "
        "(save it from Excel as 'CSV UTF-8', or name the encoding, e.g. --encoding cp1252)",
    )


def _latin_reading(data: bytes, gb_text: str) -> Decoded | None:
    """GB18030 also "decodes" Windows-1252 text: ``Jürgen Müller`` comes out
    as ``J黵gen M黮ler``. Its tell is a Han character wedged between Latin
    letters, which real Chinese CRM text almost never has. When most Han
    characters sit like that and the bytes are valid Windows-1252, read
    them as Windows-1252 instead (None: keep the GB18030 reading)."""
    han = _HAN.findall(gb_text)
    wedged = _WEDGED.findall(gb_text)
    if han and len(wedged) * 2 > len(han):
        try:
            return Decoded(data.decode("cp1252"), "cp1252", False)
        except UnicodeDecodeError:
            return None
    return None


def _damaged(data: bytes, name: str, max_error_share: float) -> Decoded | None:
    """``data`` read as ``name`` with a few damaged lines, if plausible."""
    text = data.decode(name, "surrogateescape")
    lines = split_lines(text) or [text]
    bad = sum(1 for line in lines if has_undecodable(line))
    clean_non_ascii = sum(
        1 for line in lines if _NON_ASCII.search(line) and not has_undecodable(line)
    )
    # A GBK file read as UTF-8 has no clean non-ASCII line at all; a UTF-8
    # file with one corrupted line has many. Believe an encoding only when
    # its clean non-ASCII lines clearly outnumber its damaged ones. A few
    # damaged lines are tolerated in any file, so that one broken row of a
    # short file is quarantined instead of sinking the whole import.
    tolerated = max(max_error_share * len(lines), _ALWAYS_TOLERATED)
    if bad <= tolerated and clean_non_ascii >= 3 * bad:
        return Decoded(text, name, True)
    return None


def _detect(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # an optional last resort, not a dependency
        return None
    best = from_bytes(data).best()
    # Single-byte code pages decode any bytes into plausible-looking text
    # (junk came back as "mac_latin2"), so only a multi-byte East Asian
    # guess is believed; anything else must be forced with --encoding.
    if best is None or best.encoding not in _DETECTABLE:
        return None
    try:
        return Decoded(data.decode(best.encoding), best.encoding, False)
    except (UnicodeDecodeError, LookupError):
        return None
