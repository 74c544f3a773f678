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

A file that is not UTF-8 as a whole may still hold UTF-8 lines: rows
pasted together from two exports, one saved by Excel as GBK and one by a
web tool as UTF-8. Read as one encoding, the other's lines come out as
mojibake that still looks like Chinese (``张三`` becomes ``寮犱笁``) and
would be stored without a trace. :func:`decode` therefore checks every
line of such a file and refuses it when it mixes encodings, naming the
first lines in the minority encoding; see :func:`_refuse_mixture` for why
it refuses rather than quarantining those lines.

Decoding uses ``surrogateescape`` so that an undecodable byte survives as
a lone surrogate; :func:`escape_undecodable` turns those into ``\\xNN`` for
display and storage, so no byte is ever lost silently.
"""

from __future__ import annotations

import codecs
import functools
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
    decoded = _not_utf8(data, max_error_share)
    _refuse_mixture(data, decoded.encoding if decoded else "gb18030", file_name)
    if decoded is not None:
        return decoded
    raise FileFormatError(
        file_name,
        "cannot decode the text: it is not UTF-8, UTF-16 or GBK/GB18030 "
        "(save it from Excel as 'CSV UTF-8', or name the encoding, e.g. --encoding cp1252)",
    )


def _not_utf8(data: bytes, max_error_share: float) -> Decoded | None:
    """Steps 4 to 6 of the module doc: a file that is not UTF-8."""
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
    return _detect(data)


def _refuse_mixture(data: bytes, encoding: str, file_name: str) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly ``encoding``.

    A line is UTF-8 when it decodes as UTF-8 and reads more plausibly so
    than in ``encoding`` (see :func:`_plausibility`): a GBK line is valid
    UTF-8 only by chance (one short line in a few hundred), and then reads
    as rare characters, where the same bytes in GBK read as common ones. A
    line is in ``encoding`` when it decodes in it and not as UTF-8; a line
    that decodes in neither is damaged, and handled as such.

    The file is refused, not imported with those lines quarantined. A GBK
    line in a UTF-8 file is *invalid* UTF-8, so a few of them are
    quarantined as damaged lines (step 3); but a UTF-8 line in a GBK file
    is also valid GBK, and which reading is right is a judgement no import
    should make silently, line by line, for a customer's name. A demanding
    user wants every row stored exactly as written or set aside visibly:
    storing two thirds of a mixed file would make a batch that looks
    complete and is not, and re-importing the rest later collides with the
    same file's hash. So the message names the first lines of the minority
    encoding and the two ways out: save the file again in one encoding, or
    force one with ``--encoding``, which then reads every line that way.

    Raises:
        FileFormatError: the file mixes encodings.
    """
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.isascii():
            continue
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue  # a damaged line, in neither encoding
            other.append(number)
            continue
        as_other = line.decode(encoding, "replace")
        if _plausibility(as_utf8) > _plausibility(as_other):
            utf8.append(number)
    if not utf8 or not other:
        return
    name = "GBK/GB18030" if encoding == "gb18030" else encoding
    few, many = (utf8, other) if len(utf8) <= len(other) else (other, utf8)
    few_name = "UTF-8" if few is utf8 else name
    many_name = name if few is utf8 else "UTF-8"
    shown = ", ".join(map(str, few[:5])) + (f" and {len(few) - 5:,} more" if len(few) > 5 else "")
    lines = f"{len(few):,} lines are" if len(few) > 1 else "1 line is"
    raise FileFormatError(
        file_name,
        f"the file mixes encodings: {lines} {few_name} (line{'s' if len(few) > 1 else ''} "
        f"{shown}) and {len(many):,} are {many_name}, so read as one encoding some rows would "
        "be garbled; "
        "save it again in one encoding (e.g. Excel's 'CSV UTF-8'), or force one with "
        f"--encoding, e.g. --encoding {'utf-8' if many is utf8 else encoding}",
    )


def _plausibility(text: str) -> float:
    """The share of the non-ASCII characters of ``text`` that customer data
    commonly holds: the 3,755 common Chinese characters (GB2312 level 1),
    CJK and full-width punctuation, typographic quotes and dashes, and
    accented Latin letters. Mojibake is mostly rare characters."""
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return 1.0
    return sum(1 for char in wide if _is_common(char)) / len(wide)


def _is_common(char: str) -> bool:
    code = ord(char)
    return (
        char in _common_hanzi()
        or 0x3000 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF5E
        or 0x2010 <= code <= 0x2027
        or (0xC0 <= code <= 0xFF and code not in (0xD7, 0xF7))
    )


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """GB2312's level-1 characters: rows 0xB0 to 0xD7, by frequency of use."""
    found = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                found.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(found)


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
