"""Encoding detection in the order BOM → UTF-8 → GB18030 → damaged → detector."""

import codecs
import random

import pytest

from core.errors import FileFormatError
from core.ingest.encoding import decode, escape_undecodable, split_lines

TEXT = "姓名,手机\r\n张伟,13812345678\r\n欧阳娜娜,13912345678\r\n"


ASCII = "name,mobile\r\nWei Zhang,13812345678\r\n"


@pytest.mark.parametrize(
    ("data", "expected", "text"),
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", TEXT),
        (TEXT.encode("gbk"), "gb18030", TEXT),
        (TEXT.encode("gb18030"), "gb18030", TEXT),
        (TEXT.encode("utf-16"), "utf-16", TEXT),
        (ASCII.encode("ascii"), "utf-8", ASCII),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16-bom", "ascii"],
)
def test_the_encoding_is_detected_and_the_text_survives(data, expected, text):
    decoded = decode(data, "f.csv")
    assert decoded.encoding == expected
    assert decoded.text == text
    assert not decoded.damaged


def test_short_gbk_text_is_not_mistaken_for_another_encoding():
    # charset detectors read this as big5; the fixed order does not.
    assert decode("张伟,13812345678".encode("gbk"), "f.csv").text == "张伟,13812345678"


def test_a_mostly_ascii_gbk_file_is_read_as_gbk_not_as_damaged_utf8():
    lines = ["name,mobile"] + [f"row{i},1381234{i:04d}" for i in range(300)] + ["王伟,13900000000"]
    decoded = decode("\n".join(lines).encode("gbk"), "f.csv")
    assert decoded.encoding == "gb18030"
    assert decoded.text.endswith("王伟,13900000000")


def test_one_corrupted_line_in_a_utf8_file_is_marked_not_guessed():
    good = "\n".join(f"张伟{i},1381234{i:04d}" for i in range(200)).encode("utf-8")
    data = good + b"\n\xff\xfe broken \x81\n" + "李娜,13900000000".encode()
    decoded = decode(data, "f.csv")
    assert decoded.encoding == "utf-8"
    assert decoded.damaged
    bad_line = [line for line in split_lines(decoded.text) if "broken" in line][0]
    assert escape_undecodable(bad_line).startswith("\\xff\\xfe broken \\x81")


def test_random_bytes_are_refused_with_a_message_naming_the_file():
    junk = bytes((i * 97 + 13) % 256 for i in range(4000))
    with pytest.raises(FileFormatError, match=r"^junk\.csv: cannot decode"):
        decode(junk, "junk.csv")


def test_a_forced_encoding_is_used_and_an_unknown_one_is_refused():
    assert decode(TEXT.encode("gbk"), "f.csv", encoding="gbk").text == TEXT
    with pytest.raises(FileFormatError, match="unknown encoding 'klingon'"):
        decode(b"a,b", "f.csv", encoding="klingon")


def test_lines_split_only_on_cr_and_lf():
    assert split_lines("a\u2028b\r\nc\rd\ne") == ["a\u2028b\r\n", "c\r", "d\n", "e"]


def test_one_broken_line_in_a_short_file_is_tolerated_not_fatal():
    rows = [f"客户{i},1381234{i:04d}" for i in range(10)]
    data = (
        "\n".join(rows[:5]).encode("utf-8") + b"\n\xff\xfe\n" + "\n".join(rows[5:]).encode("utf-8")
    )
    decoded = decode(data, "short.csv")
    assert (decoded.encoding, decoded.damaged) == ("utf-8", True)


def test_many_broken_lines_in_a_short_file_are_refused():
    data = b"\x81\xff junk\n" * 6 + "张伟,13812345678\n".encode()
    with pytest.raises(FileFormatError, match="cannot decode"):
        decode(data, "short.csv")


def test_a_european_windows_1252_file_is_not_misread_as_gb18030():
    text = "Name,City\nJürgen Müller,München\nFrançois Lefèvre,Besançon\nJosé Núñez,Málaga\n"
    decoded = decode(text.encode("cp1252"), "eu.csv")
    assert (decoded.encoding, decoded.text) == ("cp1252", text)


def test_gbk_text_mixing_chinese_and_latin_stays_gbk():
    text = "姓名,公司\n张伟David,IBM中国\n李娜,Apple上海分公司\nWang先生,腾讯QQ事业部\n"
    decoded = decode(text.encode("gbk"), "mixed.csv")
    assert (decoded.encoding, decoded.text) == ("gb18030", text)


# -- issue 14: a file mixing encodings is refused, never stored as mojibake --------------------

NAMES = ["张三", "李四", "王芳", "刘洋", "陈静", "杨帆"]
LINES = ["姓名,手机,邮箱"] + [f"{NAMES[i % 6]},138{i:08d},u{i}@qq.com" for i in range(200)]


def mixed(lines, gbk_every):
    return b"".join(
        (line.encode("gbk") if n % gbk_every == gbk_every - 1 else line.encode("utf-8")) + b"\r\n"
        for n, line in enumerate(lines)
    )


def test_a_utf8_file_with_every_third_line_in_gbk_is_refused_naming_the_gbk_lines():
    data = mixed(LINES, 3)
    # Read as one encoding, this file is valid GB18030: before, it was
    # stored as mojibake (寮犱笁 for 张三) without a word.
    assert data.decode("gb18030")
    with pytest.raises(
        FileFormatError,
        match=r"^mixed.csv: the file mixes encodings: 67 lines are GBK/GB18030 "
        r"\(lines 3, 6, 9, 12, 15 and 62 more\) and 134 are UTF-8",
    ):
        decode(data, "mixed.csv")


def test_a_gbk_file_with_a_pasted_utf8_line_is_refused_naming_it():
    lines = [line.encode("gbk") for line in LINES]
    lines[41] = LINES[41].encode("utf-8")
    with pytest.raises(FileFormatError, match=r"1 line is UTF-8 \(line 42\) and 200 are GBK"):
        decode(b"\r\n".join(lines), "pasted.csv")


def test_the_refusal_names_the_way_out_and_forcing_an_encoding_reads_the_file():
    data = mixed(LINES, 3)
    with pytest.raises(FileFormatError, match="--encoding utf-8"):
        decode(data, "mixed.csv")
    forced = decode(data, "mixed.csv", encoding="utf-8")
    assert forced.damaged  # the GBK lines are kept as escapes and quarantined, none garbled


@pytest.mark.parametrize("seed", range(3))
def test_gbk_files_of_short_names_are_not_taken_for_a_mixture(seed):
    """GBK names are valid UTF-8 now and then by chance (2 characters: one in
    fifty); they still read as GBK, since their UTF-8 reading is rare
    characters. Worst case: any of GB2312's 6,763 characters, uniformly."""
    rng = random.Random(seed)
    hanzi = [c for c in map(chr, range(0x4E00, 0x9FA6)) if _in_gb2312(c)]
    lines = ["姓名,手机"] + [
        "".join(rng.choices(hanzi, k=rng.choice((1, 2, 2, 3)))) + f",138{i:08d}"
        for i in range(20_000)
    ]
    data = "\r\n".join(lines).encode("gbk")
    assert decode(data, "names.csv").encoding == "gb18030"


def _in_gb2312(char):
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_a_windows_1252_file_with_utf8_lines_is_refused_too():
    lines = ["name,mobile"] + [f"Jürgen Müller {i},1380000{i:04d}" for i in range(50)]
    data = b"\r\n".join(
        line.encode("utf-8") if n % 10 == 3 else line.encode("cp1252")
        for n, line in enumerate(lines)
    )
    with pytest.raises(FileFormatError, match=r"5 lines are UTF-8 \(lines 4, 14, 24, 34, 44\)"):
        decode(data, "mixed.csv")
