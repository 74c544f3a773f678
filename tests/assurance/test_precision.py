"""The Wilson score interval, against published values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.assurance.precision import wilson


# Newcombe (1998), "Two-sided confidence intervals for the single proportion",
# Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718), (29, 29, 0.8830, 1.0)],
)  # fmt: skip
def test_the_interval_matches_newcombes_table(successes, n, low, high):
    e = wilson(successes, n)
    assert (round(e.low, 4), round(e.high, 4)) == (low, high)
    assert e.value == successes / n


def test_nothing_judged_has_no_estimate():
    e = wilson(0, 0)
    assert (e.value, e.low, e.high, e.percent()) == (None, None, None, "—")


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError, match="need 0 <= successes <= n"):
        wilson(5, 3)


@given(n=st.integers(1, 5000), data=st.data())
def test_the_interval_holds_the_estimate_inside_zero_to_one(n, data):
    k = data.draw(st.integers(0, n))
    e = wilson(k, n)
    assert 0.0 <= e.low <= e.value <= e.high <= 1.0


@given(p=st.integers(1, 9), n=st.integers(1, 200))
def test_more_evidence_narrows_the_interval(p, n):
    small, large = wilson(p * n, 10 * n), wilson(p * n * 4, 40 * n)
    assert large.high - large.low < small.high - small.low
