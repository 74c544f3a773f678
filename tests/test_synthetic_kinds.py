"""Tests for the flat kinds (orgs, latin, mixed) and the demo's B2B option."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from stdnum.cn import uscc

from core.fields import FIELDS
from core.ingest.mapping import guess_field
from core.synthetic import ACCOUNTS, generate_demo, generate_flat_csv, generate_kind_csv
from core.synthetic import writer as writer_module
from core.synthetic.__main__ import main
from core.synthetic.kinds import DEFAULT_SHARES, LATIN_HEADER, MIXED_HEADER, ORG_HEADER, quotas

PERSON_COLUMNS = (
    "first_name,last_name,name,birth_date,email,mobile,phone,address,city,postcode,country"
)
ORG_COLUMNS = "company,phone,fax,website,email,address,province,city,district,postcode,country,org_id,customer_type"
PENDING_FIELDS = {"fax", "website", "org_id"}  # added to core.fields by the engine's owners


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def generate(
    tmp_path: Path,
    kind: str,
    records: int,
    seed: int = 3,
    shares: tuple[float, float, float] = DEFAULT_SHARES,
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Rows of a generated file and its truth (record id -> entity id)."""
    out = tmp_path / f"{kind}.csv"
    generate_kind_csv(out, kind=kind, records=records, seed=seed, shares=shares)
    truth = {r["record_id"]: r["entity_id"] for r in read(out.with_name(f"{kind}_truth.csv"))}
    return read(out), truth


def test_headers_are_the_canonical_field_names() -> None:
    assert LATIN_HEADER == (
        "record_id",
        *PERSON_COLUMNS.split(","),
        "created_at",
        "updated_at",
        "source",
    )
    assert ORG_HEADER == (
        "record_id",
        *ORG_COLUMNS.split(","),
        "created_at",
        "updated_at",
        "source",
    )
    union = set(LATIN_HEADER) | set(ORG_HEADER) | set(writer_module.FLAT_FIELDS)
    assert set(MIXED_HEADER) == union and len(MIXED_HEADER) == len(union)
    assert set(MIXED_HEADER) - {"record_id"} - PENDING_FIELDS <= set(FIELDS) | {"source"}


@pytest.mark.parametrize("kind", ["orgs", "latin", "mixed"])
def test_each_kind_is_deterministic_and_seed_dependent(kind: str, tmp_path: Path) -> None:
    a = generate_kind_csv(tmp_path / "a.csv", kind=kind, records=700, seed=5)
    b = generate_kind_csv(tmp_path / "b.csv", kind=kind, records=700, seed=5)
    c = generate_kind_csv(tmp_path / "c.csv", kind=kind, records=700, seed=6)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    assert (tmp_path / "a_truth.csv").read_bytes() == (tmp_path / "b_truth.csv").read_bytes()


@pytest.mark.parametrize("records", [1, 7, 1234])
@pytest.mark.parametrize("kind", ["orgs", "latin", "mixed"])
def test_each_kind_writes_exactly_the_requested_rows_with_a_matching_truth(
    kind: str, records: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "_BUCKET_ROWS", 300)  # the on-disk shuffle of big files
    rows, truth = generate(tmp_path, kind, records)
    assert len(rows) == len(truth) == records
    assert [r["record_id"] for r in rows] == list(truth)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{kind}.csv", f"{kind}_truth.csv"]


def test_crm_kind_is_the_unchanged_flat_file(tmp_path: Path) -> None:
    a = generate_kind_csv(tmp_path / "a.csv", kind="crm", records=500, seed=8)
    b = generate_flat_csv(tmp_path / "b.csv", records=500, seed=8)
    assert a.read_bytes() == b.read_bytes()


def test_mixed_splits_rows_by_share_and_entity_ids_never_collide(tmp_path: Path) -> None:
    rows, truth = generate(tmp_path, "mixed", 3000, shares=(0.5, 0.2, 0.3))
    kinds = Counter(entity[0] for entity in truth.values())
    assert kinds["P"] + kinds["X"] == 1500 and kinds["L"] == 600 and kinds["O"] == 900
    by_kind = {"P": "crm", "X": "crm", "L": "latin", "O": "orgs"}
    for row in rows:
        kind = by_kind[truth[row["record_id"]][0]]
        if kind == "orgs":
            assert row["company"] and row["customer_type"] in ("企业", "company")
            assert not (row["name"] or row["first_name"] or row["birth_date"] or row["wechat"])
        else:
            assert not (row["org_id"] or row["fax"] or row["website"] or row["customer_type"])
        if kind == "crm":
            assert not (row["first_name"] or row["postcode"] or row["country"])
    assert quotas(10, (0.7, 0.15, 0.15)) == (7, 2, 1)
    with pytest.raises(ValueError, match="shares"):
        quotas(10, (0, 0, 0))


def test_the_organisations_of_a_mixed_file_are_those_of_an_orgs_file(tmp_path: Path) -> None:
    mixed, mixed_truth = generate(tmp_path, "mixed", 2000, seed=4)
    orgs, orgs_truth = generate(tmp_path, "orgs", quotas(2000, (0.7, 0.15, 0.15))[2], seed=4)
    in_mixed = Counter(
        (mixed_truth[r["record_id"]], r["company"])
        for r in mixed
        if mixed_truth[r["record_id"]][0] == "O"
    )
    in_orgs = Counter((orgs_truth[r["record_id"]], r["company"]) for r in orgs)
    assert in_mixed == in_orgs


def test_cli_flat_kind_and_shares(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.csv"
    args = [
        "flat",
        "--out",
        str(out),
        "--records",
        "400",
        "--kind",
        "mixed",
        "--shares",
        "60,20,20",
    ]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["kind"] == "mixed" and summary["records"] == 400
    assert Counter(r["entity_id"][0] for r in read(tmp_path / "m_truth.csv"))["O"] == 80
    with pytest.raises(SystemExit):
        main(["flat", "--out", str(out), "--records", "4", "--kind", "mixed", "--shares", "1,2"])
    with pytest.raises(SystemExit):
        main(["flat", "--out", str(out), "--records", "4", "--kind", "people"])


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    plain, b2b = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("b2b")
    generate_demo(plain, persons=600, seed=9)
    assert main(["demo", "--out", str(b2b), "--persons", "600", "--seed", "9", "--b2b"]) == 0
    return plain, b2b


def test_the_b2b_demo_keeps_the_person_files_and_adds_an_accounts_file(
    demos: tuple[Path, Path],
) -> None:
    plain, b2b = demos
    for name in ("store_registration.csv", "trade_show.xlsx", "service_hotline.csv",
                 "lead_vendor.tsv", "wechat_campaign.csv"):  # fmt: skip
        assert (plain / name).read_bytes() == (b2b / name).read_bytes(), name
    manifest = json.loads((b2b / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"][-1]
    assert entry["file"] == "b2b_accounts.csv" and entry["channel"] == "企业客户"
    truth = read(b2b / "truth.csv")
    kinds = Counter((t["channel"], t["person_id"][0]) for t in truth)
    assert kinds[("企业客户", "O")] == entry["rows"] > manifest["organisations"]
    assert kinds[("官网表单", "L")] >= manifest["latin_persons"]
    website = read(b2b / "website_form.csv")
    assert len(website) == len(read(plain / "website_form.csv")) + kinds[("官网表单", "L")]
    assert any(row["Name"].isascii() and " " in row["Name"] for row in website)


def test_the_accounts_file_has_chinese_export_headers_for_the_canonical_fields(
    demos: tuple[Path, Path],
) -> None:
    _, b2b = demos
    raw = (b2b / "b2b_accounts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(b2b / "b2b_accounts.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ACCOUNTS.headers
    assert guess_field(ACCOUNTS.id_column) is None
    for header, key in ACCOUNTS.columns:
        mapped = guess_field(header)
        # 总机 (switchboard) and the new fields wait for their aliases.
        assert mapped == key or (mapped is None and (key in PENDING_FIELDS or header == "总机")), (
            header
        )
    ids = [
        r["统一社会信用代码"].replace(" ", "").upper()
        for r in rows
        if len(r["统一社会信用代码"]) >= 18
    ]
    assert sum(uscc.is_valid(i) for i in ids) / len(ids) >= 0.95
    assert {r["客户类型"] for r in rows} <= {"企业", "company"}
