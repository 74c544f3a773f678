"""Gender evidence: honorifics and id numbers state it, given names suggest it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.standardize.gender import given_name_gender, honorific_gender, id_gender, infer_gender


@pytest.mark.parametrize(
    ("raw", "gender"),
    [
        ("王先生", "M"), ("李女士", "F"), ("张小姐", "F"), ("陈太太", "F"), ("刘大哥", "M"),
        ("Mr. Wang", "M"), ("Mrs Chen", "F"), ("Wang Sir", "M"), ("MS. LI", "F"),
        ("张总", ""), ("刘经理", ""), ("陈老师", ""), ("张伟", ""), ("Mr and Mrs Li", ""),
    ],
    ids=lambda v: v if isinstance(v, str) and v else "none",
)  # fmt: skip
def test_an_honorific_states_the_sex_and_a_title_does_not(raw, gender):
    assert honorific_gender(raw) == gender


@pytest.mark.parametrize(
    ("id_number", "gender"),
    [
        ("110101199003077777", "M"),  # 17th digit 7: odd
        ("110101199003077768", "F"),  # 17th digit 6: even
        ("11010119900307776X", "F"),
        ("110101900307771", "M"),  # old 15-digit number: last digit
        ("", ""),
        ("12345", ""),
        ("1101011990030777¹7", ""),  # a superscript digit is not a digit here
    ],
)
def test_the_resident_id_number_encodes_the_sex(id_number, gender):
    assert id_gender(id_number) == gender


@pytest.mark.parametrize(
    ("given_name", "gender"),
    [("秀英", "F"), ("丽娜", "F"), ("志强", "M"), ("建军", "M"), ("Iris", "F"), ("Kevin", "M"),
     ("华", ""), ("文平", ""), ("强丽", ""), ("Wei", "")],
)  # fmt: skip
def test_a_given_name_suggests_a_sex_only_when_its_characters_agree(given_name, gender):
    assert given_name_gender(given_name) == gender


def test_stated_evidence_wins_over_the_given_name_and_conflicts_leave_it_unknown():
    assert infer_gender("张丽先生", "丽", "") == ("M", "stated")
    assert infer_gender("张丽", "丽", "") == ("F", "likely")
    assert infer_gender("张先生", "", "110101199003077768") == ("", "")
    assert infer_gender("", "", "") == ("", "")


@given(st.text(max_size=12), st.text(max_size=4), st.text(max_size=18))
def test_inference_never_raises_and_returns_a_known_code(raw, given_name, id_number):
    gender, strength = infer_gender(raw, given_name, id_number)
    assert gender in ("M", "F", "") and strength in ("stated", "likely", "")
    assert (gender == "") == (strength == "")
