"""KPI targets: parsing, validation when set, and flags."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.settings import Settings, coerce
from core.targets import Target, check, is_share, parse


class Figures:
    def __init__(self, **values):
        self.values = values

    def value(self, path):
        return self.values.get(path)


def test_conditions_are_read_as_shares_percentages_or_counts():
    assert parse(
        {"fields.mobile.validity": ">= 98%", "duplicate_rate": "<0.05", "backlog": "<= 200"}
    ) == [  # fmt: skip
        Target("fields.mobile.validity", ">=", 0.98),
        Target("duplicate_rate", "<", 0.05),
        Target("backlog", "<=", 200.0),
    ]


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"fields.mobile.validity": "98%"}, "'98%' is not a condition; write e.g. '>= 98%'"),
        ({"fields.mobil.validity": ">= 98%"}, "fields.mobil.validity: no such KPI"),
        ({"Mobile Validity": ">= 98%"}, "not a KPI path"),
    ],
)
def test_a_bad_target_is_refused_when_the_setting_is_changed(targets, message):
    with pytest.raises(InputError, match=message):
        coerce("kpi_targets", targets)


def test_each_target_is_checked_and_unmeasured_figures_are_not_flagged():
    figures = Figures(**{"fields.mobile.validity": 0.975, "duplicate_rate": 0.02})
    results = check(figures, {"fields.mobile.validity": ">= 98%", "duplicate_rate": "<= 5%",
                              "fields.email.validity": ">= 95%"})  # fmt: skip
    assert [(str(r.target), r.met) for r in results] == [
        ("fields.mobile.validity >= 98.0%", False),
        ("duplicate_rate <= 5.0%", True),
        ("fields.email.validity >= 95.0%", None),
    ]


def test_shares_and_counts_are_told_apart():
    assert is_share("fields.email.completeness") and is_share("timeliness.90")
    assert is_share("merge_precision") and is_share("dormant_rate")
    assert not is_share("backlog") and not is_share("fields.email.invalid")
    assert Target("backlog", "<=", 200).format(6928.0) == "6,928"


def test_the_default_targets_are_valid():
    assert len(parse(Settings()["kpi_targets"])) >= 5
