"""Periods, the scoring rules and the ranks (pure functions; hand-computed expectations)."""

from datetime import date
from decimal import Decimal as D

import pytest

from wenming.assessment.metrics import Period, ratio
from wenming.assessment.scoring import competition_ranks, linear_points, target_points


def test_periods_and_labels():
    q4 = Period.quarter(2026, 4)
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q4.label == "2026年第四季度"
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.month(2026, 2).end == date(2026, 2, 28)
    assert Period.year(2026).previous() == Period.year(2025)
    assert len(Period.year(2026).months()) == 12
    for p in (Period.year(2026), q4, Period.month(2026, 12)):
        assert Period.parse(p.token) == p
    with pytest.raises(ValueError):
        Period.quarter(2026, 5)


def test_ratio_without_denominator_has_no_value():
    assert ratio(3, 0).value is None
    assert ratio(1, 3, scale=100).value == D("33.33")


def test_linear_points_between_worst_and_best():
    pts = linear_points({1: D(50), 2: D(100), 3: D(75), 4: None}, weight=D(20), higher_is_better=True)
    assert pts == {1: D("0.00"), 2: D("20.00"), 3: D("10.00"), 4: D(0)}
    low = linear_points({1: D(50), 2: D(100), 3: D(75)}, weight=D(20), higher_is_better=False)
    assert low == {1: D("20.00"), 2: D("0.00"), 3: D("10.00")}
    assert linear_points({1: D(5), 2: D(5)}, weight=D(10), higher_is_better=True) == {1: D("10.00"), 2: D("10.00")}


def test_target_points():
    pts = target_points({1: D(45), 2: D(120), 3: None}, weight=D(10), target=D(90), higher_is_better=True)
    assert pts == {1: D("5.00"), 2: D("10.00"), 3: D(0)}
    low = target_points({1: D(2), 2: D(8)}, weight=D(10), target=D(4), higher_is_better=False)
    assert low == {1: D("10.00"), 2: D("5.00")}


def test_competition_ranks_share_equal_totals():
    assert competition_ranks({1: D(90), 2: D(95), 3: D(90), 4: D(80)}) == {2: 1, 1: 2, 3: 2, 4: 4}
