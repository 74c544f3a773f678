"""Fuzzing the importer with damaged files.

For each of several hundred mutated files: no unhandled exception, either
a typed whole-file error that leaves the store unchanged, or an import
where ``rows_read == rows_imported + rows_quarantined`` and the store grew
by exactly those counts.
"""

import random

import pytest

from core.actors import Actor
from core.errors import StewardError
from core.ingest.importer import import_bytes
from tests.conftest import TODAY

BASE_ROWS = [
    ["客户编号", "姓名", "手机号", "邮箱", "公司", "地址", "备注"],
    *[
        [
            f"C{i}",
            name,
            f"13{i % 10}1234{i:04d}",
            f"user{i}@qq.com",
            "北京字节跳动科技有限公司",
            "北京市朝阳区建国路88号",
            note,
        ]
        for i, (name, note) in enumerate(
            [
                ("张伟", "老客户"),
                ("欧阳娜娜", "多行\n备注"),
                ("Wei Zhang", 'said "hi"'),
                ("王先生", ""),
                ("李娜", "a,b"),
                ("單雄信", "=1+1"),
            ]
            * 4
        )
    ],
]


def base_file(encoding: str) -> bytes:
    lines = []
    for row in BASE_ROWS:
        lines.append(
            ",".join(
                '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n') else c for c in row
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(12)
    pos = rng.randrange(len(data) + 1)
    if kind == 0:
        return data[:pos]  # truncated
    if kind == 1:
        return data[:pos] + b'"' + data[pos:]  # stray quote
    if kind == 2:
        return data[:pos] + b"\x00" * rng.randint(1, 5) + data[pos:]  # NUL bytes
    if kind == 3:
        return data.replace(
            b"\r\n", rng.choice([b"\n", b"\r", b"\r\n"]), rng.randint(1, 10)
        )  # mixed endings
    if kind == 4:
        return data[:pos] + b"\xef\xbb\xbf" + data[pos:]  # BOM in the middle
    if kind == 5:
        return (
            data[:pos] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + data[pos:]
        )  # junk
    if kind == 6:
        return data[:pos] + b"x" * rng.choice([40_000, 100_000]) + data[pos:]  # huge cell
    if kind == 7:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000)))  # pure binary
    if kind == 8:
        cut = rng.randrange(len(data) + 1)
        return data[: min(pos, cut)] + data[max(pos, cut) :]  # a slice removed
    if kind == 9:
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        return bytes(flipped)  # flipped bytes
    if kind == 10:
        return data[:pos] + rng.choice([b",,,,", b"\r\n\r\n", b'""', b'"\r\n"', b"\t"]) + data[pos:]
    return "张伟,13812345678\n".encode("gbk").join([data[:pos], data[pos:]])  # mixed encodings


SEEDS = range(240)


def fuzz_file(seed: int) -> bytes:
    """The mutated file of one seed: a base file in a random encoding with
    one to three mutations applied."""
    rng = random.Random(seed)
    data = base_file(rng.choice(["utf-8", "gbk", "utf-8-sig"]))
    for _ in range(rng.randint(1, 3)):
        data = mutate(data, rng)
    return data


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_a_mutated_file_is_imported_consistently_or_refused_cleanly(store, seed):
    data = fuzz_file(seed)
    before = (
        store.count("source_records"),
        store.count("quarantine"),
        store.count("import_batches"),
    )
    try:
        result = import_bytes(
            store,
            data,
            f"fuzz{seed}.csv",
            source=f"fuzz{seed}",
            actor=Actor("fuzz", "system"),
            today=TODAY,
        )
    except StewardError as exc:
        assert str(exc).startswith(f"fuzz{seed}.csv: ")
        assert (
            store.count("source_records"),
            store.count("quarantine"),
            store.count("import_batches"),
        ) == before
        return
    assert result.rows_read == result.rows_imported + result.rows_quarantined
    after = (
        store.count("source_records"),
        store.count("quarantine"),
        store.count("import_batches"),
    )
    assert after == (
        before[0] + result.rows_imported,
        before[1] + result.rows_quarantined,
        before[2] + 1,
    )
    assert store.count("standardized") == store.count("source_records")


@pytest.mark.slow
def test_the_fuzz_corpus_exercises_both_outcomes(store):
    """Guard against a fuzzer that only ever produces one kind of file."""
    imported = refused = quarantined = 0
    for seed in SEEDS:
        try:
            result = import_bytes(
                store,
                fuzz_file(seed),
                "f.csv",
                source=f"s{seed}",
                actor=Actor("f", "system"),
                today=TODAY,
            )
        except StewardError:
            refused += 1
            continue
        imported += 1
        quarantined += result.rows_quarantined > 0
    assert imported > 100
    assert refused > 10
    assert quarantined > 20
