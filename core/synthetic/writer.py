"""Write the synthetic population as channel files or as one flat CSV.

Two products:

* :func:`generate_demo` writes one file per channel, each with its own
  headers, encoding and format (GBK CSV, UTF-8 with BOM, TSV, XLSX), plus a
  ``truth.csv`` that maps every (channel, record id) to its person.
* :func:`generate_flat_csv` writes one UTF-8 CSV with canonical headers for
  the matching benchmark, plus ``<stem>_truth.csv``. It streams: persons are
  generated, turned into rows and forgotten, and rows are shuffled through
  temporary bucket files so that one person's records end up far apart
  without holding the whole file in memory.

Both are deterministic: the same arguments give byte-identical files.
"""

from __future__ import annotations

import csv
import itertools
import json
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import xlsxwriter

from core.synthetic.b2b_demo import ACCOUNTS, B2BDemo
from core.synthetic.channels import (
    CHANNELS,
    JUNK_RATE,
    MEAN_RECORDS_PER_PERSON,
    RECORDS_PER_PERSON,
    VENDOR,
    Channel,
    Record,
    junk_record,
    make_record,
    pick_channel,
)
from core.synthetic.people import Population

DEFAULT_SEED = 20261123
FLAT_FIELDS: tuple[str, ...] = (
    "record_id", "name", "mobile", "phone", "email", "wechat", "company", "title", "address",
    "province", "city", "district", "birth_date", "id_number", "created_at", "updated_at",
    "last_contact_at", "source",
)  # fmt: skip
TRUTH_NAME = "truth.csv"
MANIFEST_NAME = "manifest.json"
# Per record, the chance of a junk row; a person yields ~1.5 records, so the
# per-draw rate is scaled to make junk JUNK_RATE of all rows.
_JUNK_DRAW = JUNK_RATE * MEAN_RECORDS_PER_PERSON
_BUCKET_ROWS = 20_000


@dataclass(frozen=True)
class ChannelFile:
    """One written channel file.

    Attributes:
        channel: Chinese channel name, the import's source name (官网表单).
        path: Where the file was written.
        encoding: Text encoding, or ``"xlsx"`` for the workbook.
        id_column: Header of the record-id column.
        rows: Data rows (header not counted).
    """

    channel: str
    path: Path
    encoding: str
    id_column: str
    rows: int


def generate_demo(
    out_dir: Path, *, persons: int, seed: int = DEFAULT_SEED, b2b: bool = False
) -> list[ChannelFile]:
    """Write one file per channel and ``truth.csv`` for ``persons`` people.

    Args:
        out_dir: Target directory, created if missing; files are overwritten.
        persons: Number of distinct real persons (records are ~1.5x that).
        seed: Random seed; the same seed gives byte-identical files.
        b2b: Also write ``b2b_accounts.csv`` (channel 企业客户: companies,
            their branches and subsidiaries) and add Latin-script customers
            to the website form (see :mod:`core.synthetic.b2b_demo`). Off by
            default; without it the files are those of earlier versions.

    Also writes ``manifest.json`` (file, channel, id column, encoding and
    rows of each channel file), which :mod:`core.ops.demo` imports from.

    Returns:
        The channel files in channel order, the B2B file last (truth.csv is
        not listed).

    Example:
        >>> files = generate_demo(Path("data/demo"), persons=2600)  # doctest: +SKIP
        >>> files[1].channel, files[1].encoding  # doctest: +SKIP
        ('门店登记', 'gbk')
    """
    rng = random.Random(seed)
    population = Population(rng, persons)
    extra = B2BDemo(seed, persons, population.companies) if b2b else None
    buckets: dict[str, list[tuple[Record, str]]] = {c.key: [] for c in CHANNELS}
    junk = 0
    for person in itertools.islice(population, persons):
        for _ in range(RECORDS_PER_PERSON.pick(rng)):
            channel = pick_channel(person, rng)
            buckets[channel.key].append((make_record(person, channel, rng), person.person_id))
        if rng.random() < _JUNK_DRAW:
            junk += 1
            buckets[VENDOR.key].append((junk_record(rng), f"X{junk:07d}"))

    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[ChannelFile] = []
    truth: list[tuple[str, str, str]] = []
    for channel in CHANNELS:
        rows = buckets[channel.key]
        rng.shuffle(rows)  # channel exports are not grouped by person
        if extra is not None:
            rows = extra.merge(channel, rows)
        table: list[list[str]] = []
        for n, (record, person_id) in enumerate(rows, 1):
            record_id = channel.id_format.format(n)
            table.append([record_id] + [record.get(key, "") for _, key in channel.columns])
            truth.append((channel.name, record_id, person_id))
        path = out_dir / channel.file_name
        if channel.encoding == "xlsx":
            _write_xlsx(path, channel, table, rng)
        else:
            _write_text(path, channel, table)
        files.append(
            ChannelFile(channel.name, path, channel.encoding, channel.id_column, len(rows))
        )
    counts: dict[str, int] = {}
    if extra is not None:
        path, rows_written = extra.write(out_dir, truth)
        b2b_file = ACCOUNTS
        files.append(
            ChannelFile(b2b_file.name, path, b2b_file.encoding, b2b_file.id_column, rows_written)
        )
        counts = {"organisations": extra.organisations, "latin_persons": extra.latin_persons}
    with open(out_dir / TRUTH_NAME, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        # person_id holds every entity id: P/X persons, L Latin-script persons, O organisations.
        writer.writerow(("channel", "source_record_id", "person_id"))
        writer.writerows(truth)
    _write_manifest(out_dir, files, persons=persons, seed=seed, counts=counts)
    return files


def _write_manifest(
    out_dir: Path, files: list[ChannelFile], *, persons: int, seed: int, counts: dict[str, int]
) -> None:
    """``manifest.json``: what core.ops.demo imports (never the truth file)."""
    manifest = {
        "generator": "python -m core.synthetic demo",
        "persons": persons,
        **counts,
        "seed": seed,
        "truth": TRUTH_NAME,
        "files": [
            {
                "file": f.path.name,
                "channel": f.channel,
                "id_column": f.id_column,
                "encoding": f.encoding,
                "rows": f.rows,
            }
            for f in files
        ],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (out_dir / MANIFEST_NAME).write_text(text, encoding="utf-8")


def _write_text(path: Path, channel: Channel, table: list[list[str]]) -> None:
    # CRLF like Excel and most Windows exports; strict encoding so that a
    # character outside GBK is a bug here, not mojibake in the demo.
    with open(path, "w", encoding=channel.encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=channel.delimiter, lineterminator="\r\n")
        writer.writerow(channel.headers)
        writer.writerows(table)


def _write_xlsx(path: Path, channel: Channel, table: list[list[str]], rng: random.Random) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    # A fixed creation date keeps the file byte-identical between runs.
    workbook.set_properties({"created": datetime(2026, 6, 30), "author": "core.synthetic"})
    sheet = workbook.add_worksheet("名片")
    sheet.write_row(0, 0, channel.headers)
    mobile_col = channel.headers.index("手机")
    for r, row in enumerate(table, 1):
        for c, value in enumerate(row):
            # Excel users paste mobiles as numbers; the importer must cope.
            if c == mobile_col and value.isascii() and value.isdigit() and rng.random() < 0.3:
                sheet.write_number(r, c, int(value))
            elif value:
                sheet.write_string(r, c, value)
    workbook.close()


def generate_flat_csv(out: Path, *, records: int, seed: int = DEFAULT_SEED) -> Path:
    """Write exactly ``records`` rows with canonical headers, plus truth.

    The rows mix all six channels (the ``source`` column names the channel)
    with the same variation and hard negatives as the demo files. The truth
    goes to ``<out stem>_truth.csv`` with columns ``record_id, person_id``.

    Args:
        out: Target CSV path (UTF-8, no BOM); its directory must exist.
        records: Exact number of data rows.
        seed: Random seed; the same seed gives byte-identical files.

    Returns:
        ``out``.

    Example:
        >>> generate_flat_csv(Path("/tmp/bench_15k.csv"), records=15_000)  # doctest: +SKIP
        PosixPath('/tmp/bench_15k.csv')
    """
    rng = random.Random(seed)
    fields = FLAT_FIELDS[1:-1]
    with Shuffler(out.parent, records, rng) as shuffler:
        # The shuffler draws from the same stream as the generator, row by
        # row; keep that order, or every flat file ever generated changes.
        for record, source, person_id in crm_rows(rng, records):
            shuffler.add([record.get(f, "") for f in fields] + [source, person_id])
        write_flat(out, FLAT_FIELDS, ("record_id", "person_id"), shuffler.drain(), records)
    return out


def crm_rows(rng: random.Random, records: int) -> Iterator[tuple[Record, str, str]]:
    """Exactly ``records`` Chinese CRM records, person by person.

    Args:
        rng: The random stream; it is also drawn from between rows by the
            caller's shuffler, so it must not be shared otherwise.
        records: Exact number of rows to yield.

    Yields:
        ``(record, channel name, person id)``; junk rows carry ``X…`` ids.
    """
    people = iter(Population(rng, int(records / MEAN_RECORDS_PER_PERSON) + 1))
    produced = junk = 0
    while produced < records:
        if rng.random() < _JUNK_DRAW:
            junk += 1
            yield junk_record(rng), VENDOR.name, f"X{junk:07d}"
            produced += 1
            continue
        person = next(people)
        count = min(RECORDS_PER_PERSON.pick(rng), records - produced)
        for _ in range(count):
            channel = pick_channel(person, rng)
            yield make_record(person, channel, rng), channel.name, person.person_id
        produced += count


def write_flat(
    out: Path,
    header: tuple[str, ...],
    truth_header: tuple[str, str],
    rows: Iterator[list[str]],
    records: int,
) -> None:
    """Write shuffled rows as ``out`` and ``<stem>_truth.csv``.

    Each row holds the values of ``header[1:]`` followed by the entity id;
    the record id ``R0000001``… is assigned here in output order.
    """
    truth_path = out.with_name(f"{out.stem}_truth.csv")
    with (
        open(out, "w", encoding="utf-8", newline="") as data_file,
        open(truth_path, "w", encoding="utf-8", newline="") as truth_file,
    ):
        data = csv.writer(data_file, lineterminator="\n")
        truth = csv.writer(truth_file, lineterminator="\n")
        data.writerow(header)
        truth.writerow(truth_header)
        width = max(7, len(str(records)))
        for n, row in enumerate(rows, 1):
            record_id = f"R{n:0{width}d}"
            entity_id = row.pop()
            data.writerow([record_id, *row])
            truth.writerow((record_id, entity_id))


class Shuffler:
    """Shuffle a stream of rows with bounded memory.

    Each row goes to a random temporary bucket file; draining reads one
    bucket at a time, shuffles it and yields its rows. Small inputs stay in
    memory. Temporary files live next to the output and are removed on exit.

    Args:
        work_dir: Where the temporary bucket directory is made.
        total: How many rows will be added; sizes the buckets.
        rng: The random stream for bucket choice and shuffles.
    """

    def __init__(self, work_dir: Path, total: int, rng: random.Random) -> None:
        self._rng = rng
        # At most 256 buckets keeps open files well under the usual limit;
        # buckets just grow for outputs beyond ~5 million rows.
        self._count = min(256, max(1, -(-total // _BUCKET_ROWS)))
        self._memory: list[list[str]] = []
        self._tmp: Path | None = None
        self._paths: list[Path] = []
        self._handles: list[TextIO] = []
        self._writers: list[Any] = []  # csv writer objects have no public type
        if self._count > 1:
            self._tmp = Path(tempfile.mkdtemp(prefix=".synthetic-", dir=work_dir))
            for i in range(self._count):
                path = self._tmp / f"bucket{i:04d}.csv"
                handle = open(path, "w", encoding="utf-8", newline="")
                self._paths.append(path)
                self._handles.append(handle)
                self._writers.append(csv.writer(handle, lineterminator="\n"))

    def __enter__(self) -> Shuffler:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for handle in self._handles:
            handle.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def add(self, row: list[str]) -> None:
        """Queue one row."""
        if self._count == 1:
            self._memory.append(row)
        else:
            self._writers[self._rng.randrange(self._count)].writerow(row)

    def drain(self) -> Iterator[list[str]]:
        """Yield every queued row once, in shuffled order."""
        if self._count == 1:
            self._rng.shuffle(self._memory)
            yield from self._memory
            return
        for handle in self._handles:
            handle.close()
        for path in self._paths:
            with open(path, encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
            path.unlink()
            self._rng.shuffle(rows)
            yield from rows
