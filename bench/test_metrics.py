"""Hand-checked examples for bench.metrics (pairwise and B-cubed scores, pair
completeness), the generated labelled sets' names, and the Splink-side cleaning."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.labelled_data import load_set
from bench.metrics import bcubed_scores, pair_completeness, pairwise_scores
from bench.splink_cleaning import (
    company,
    domain,
    iso_date,
    person_name,
    phone_key,
    registration,
)


def test_perfect_clustering() -> None:
    truth = {"a": 1, "b": 1, "c": 2}
    s = pairwise_scores({"a": "x", "b": "x", "c": "y"}, truth)
    assert (s.true_positive, s.predicted_pairs, s.true_pairs) == (1, 1, 1)
    assert s.f1 == 1.0


def test_overmerge_and_split() -> None:
    # truth: {a,b,c} {d,e} -> 3 + 1 = 4 true pairs
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    # predicted: {a,b} {c,d,e} -> 1 + 3 = 4 predicted pairs; correct: ab, de = 2
    s = pairwise_scores({"a": 0, "b": 0, "c": 9, "d": 9, "e": 9}, truth)
    assert (s.true_positive, s.predicted_pairs, s.true_pairs) == (2, 4, 4)
    assert s.precision == 0.5 and s.recall == 0.5 and s.f1 == 0.5


def test_all_singletons_and_missing_records() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    s = pairwise_scores({"a": 0}, truth)  # b, c, d missing -> singletons
    assert (s.true_positive, s.predicted_pairs, s.true_pairs) == (0, 0, 3)
    assert s.precision == 1.0 and s.recall == 0.0 and s.f1 == 0.0


def test_one_big_cluster() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}  # 2 true pairs
    s = pairwise_scores(dict.fromkeys("abcd", 0), truth)  # 6 predicted pairs
    assert s.precision == pytest.approx(2 / 6) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * (1 / 3) / (1 / 3 + 1))


# B-cubed, by hand. truth: {a,b,c} {d,e}.
#   predicted {a,b} {c,d,e}: precision a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/15;
#                            recall    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/15.
#   one cluster {a..e}:      precision a,b,c 3/5, d,e 2/5 -> 13/25; recall 1.
#   singletons:              precision 1; recall a,b,c 1/3, d,e 1/2 -> 2/5.
BCUBED_TRUTH = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}


def test_bcubed_overmerge_and_split() -> None:
    s = bcubed_scores({"a": 0, "b": 0, "c": 9, "d": 9, "e": 9}, BCUBED_TRUTH)
    assert s.precision == pytest.approx(11 / 15) and s.recall == pytest.approx(11 / 15)
    assert s.f1 == pytest.approx(11 / 15)


def test_bcubed_one_big_cluster() -> None:
    s = bcubed_scores(dict.fromkeys("abcde", 0), BCUBED_TRUTH)
    assert s.precision == pytest.approx(13 / 25) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * (13 / 25) / (13 / 25 + 1))


def test_bcubed_singletons_and_missing_records() -> None:
    s = bcubed_scores({"a": "x"}, BCUBED_TRUTH)  # the others missing -> singletons
    assert s.precision == 1.0 and s.recall == pytest.approx(2 / 5)


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 8), max_size=40), st.integers(1, 99))
def test_bcubed_perfect_clustering_is_one(truth: dict[int, int], shift: int) -> None:
    # the same partition under other cluster labels
    s = bcubed_scores({r: e + shift for r, e in truth.items()}, truth)
    assert s.precision == pytest.approx(1.0) and s.recall == pytest.approx(1.0)
    assert s.f1 == pytest.approx(1.0)


def test_pair_completeness() -> None:
    # true pairs: ab ac bc de = 4; candidates: ba (twice, both orders), de, ae, cc, ax
    candidates = [("b", "a"), ("a", "b"), ("d", "e"), ("a", "e"), ("c", "c"), ("a", "x")]
    c = pair_completeness(candidates, BCUBED_TRUTH)
    assert (c.found, c.true_pairs, c.candidates) == (2, 4, 4)
    assert c.share == 0.5
    assert pair_completeness([], {"a": 1}).share == 1.0  # no true pairs to find


def test_generated_set_names(tmp_path: Path) -> None:
    # an already generated file is read, not generated again
    (tmp_path / "gen_orgs_1000_s7.csv").write_text("record_id\nR1\nR2\n", encoding="utf-8")
    truth = "record_id,entity_id\nR1,O1\nR2,O1\n"
    (tmp_path / "gen_orgs_1000_s7_truth.csv").write_text(truth, encoding="utf-8")
    ds = load_set("gen-orgs-1k-s7", tmp_path)
    assert (ds.name, ds.kind, ds.id_column) == ("gen-orgs-1k-s7", "orgs", "record_id")
    assert ds.truth == {"R1": "O1", "R2": "O1"}
    with pytest.raises(SystemExit, match="unknown data set"):
        load_set("gen-people-20k", tmp_path)


def test_phone_key_ignores_prefix_and_extension() -> None:
    same = ["0871-80961234", "+86 871 8096 1234", "(0871)80961234转8273", "0871-80961234-8273"]
    assert {phone_key(v) for v in same} == {"180961234"}
    assert phone_key("0081-45-2289824") == phone_key("045-228-9824")
    assert phone_key("+1 415 879-2570") == "158792570"  # a hyphen group of 4 is no extension
    assert phone_key("022-8449 1234 转 8428", keep_extension=True) == "284491234-8428"
    assert phone_key("12345") is None and phone_key(None) is None


def test_registration_domain_and_dates() -> None:
    assert registration("Amtsgericht München, HRB 134524") == "134524"
    assert registration("HRB 134524, Amtsgericht München") == "134524"
    assert registration("912301 081252 67307h") == "91230108125267307H"
    assert registration("EIN 61-9295153") == registration("61-9295153") == "619295153"
    assert domain("https://www.Tyreldyne.com/about", "x@qq.com") == "tyreldyne.com"
    assert domain(None, "Cao.Tingli@tyreldyne.com") == "tyreldyne.com"
    assert iso_date("03.10.1981") == "1981-10-03" and iso_date("1985/3/5") == "1985-03-05"
    assert iso_date("04/15/1997") == "1997-04-15"  # the day cannot be first
    assert iso_date("07/02/1955", month_first=True) == "1955-07-02"
    assert iso_date("19850312") == "1985-03-12" and iso_date("31/02/1990") is None


def test_person_and_company_names() -> None:
    assert person_name(None, None, "Fr. Schröder") == (None, "schroder")
    assert person_name(None, None, "Johannes de Jong") == ("johannes", "de jong")
    assert person_name(None, None, "mevrouw Groot, de") == (None, "de groot")
    assert person_name(None, None, "WILLIAMS, Patty") == ("patty", "williams")
    assert person_name("A.", "Schröder", "ignored") == ("a", "schroder")
    a = company("天津市奥诚天服饰集团有限公司")
    b = company("奥诚天服饰（天津）集团有限公司")
    assert a[0] == "天津 奥诚天服饰" and a[1] == b[1]
    assert company("Tyreldyne Supply Chain (Kunming) Co., Ltd.") == (
        "tyreldyne supply chain kunming",
        "chain kunming supply tyreldyne",
    )
    assert company("有限公司") == (None, None)
