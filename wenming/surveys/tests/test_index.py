"""The satisfaction index from the rollup checked against hand-computed figures: mean, 95 % interval,
bands, grains and periods."""

import math
from datetime import date

import pytest

from wenming.surveys import rollup, selectors
from wenming.surveys.choices import Band, Grain, Period

from .conftest import add_response


@pytest.mark.django_db
def test_index_mean_and_confidence_interval_by_hand(org_tree, personas, questionnaire):
    for score, day in ((80, 5), (90, 12), (70, 20)):
        add_response(org_tree.shenyang_outlet, questionnaire, score, date(2026, 2, day))
    add_response(org_tree.dalian_outlet, questionnaire, 60, date(2026, 2, 3))
    add_response(org_tree.shenyang_outlet, questionnaire, 10, date(2026, 4, 1))  # other quarter
    rollup.refresh()
    start, end = selectors.period_range(Period.QUARTER, 2026, 1)
    assert (start, end) == (date(2026, 1, 1), date(2026, 4, 1))
    rows = selectors.index_rows(user=personas.province_admin, grain=Grain.OUTLET, start=start, end=end)
    sy = next(r for r in rows if r.key == org_tree.shenyang_outlet.pk)
    # mean 80; sample variance ((0)² + 10² + 10²) / 2 = 100 → s = 10; half-width 1.96 · 10 / √3
    assert sy.sums.n == 3 and sy.mean == pytest.approx(80.0)
    assert sy.sums.variance == pytest.approx(100.0)
    half = 1.959964 * 10 / math.sqrt(3)
    assert sy.sums.ci == pytest.approx((80 - half, 80 + half))
    assert round(sy.sums.ci[0], 1) == 68.7 and round(sy.sums.ci[1], 1) == 91.3
    city = selectors.index_rows(user=personas.province_admin, grain=Grain.CITY, start=start, end=end)
    assert {r.label: r.sums.n for r in city} == {"沈阳市": 3, "大连市": 1}
    province = selectors.index_rows(user=personas.province_admin, grain=Grain.PROVINCE, start=start, end=end)
    assert province[0].mean == pytest.approx((80 + 90 + 70 + 60) / 4)
    # scope: the Shenyang bureau sees only Shenyang
    own = selectors.index_rows(user=personas.shenyang_admin, grain=Grain.CITY, start=start, end=end)
    assert [r.label for r in own] == ["沈阳市"]
    ent = selectors.index_rows(user=personas.shenyang_admin, grain=Grain.ENTERPRISE, start=start, end=end)
    assert [r.label for r in ent] == ["顺丰速运（沈阳）有限公司"]
    brand = selectors.index_rows(user=personas.province_admin, grain=Grain.BRAND, start=start, end=end)
    assert {r.label for r in brand} == {"顺丰", "中通"}


def test_bands_and_minimum_sample(settings):
    assert selectors.band_of(80.0, 30) == Band.GOOD
    assert selectors.band_of(79.9, 30) == Band.MIDDLE
    assert selectors.band_of(77.0, 30) == Band.MIDDLE
    assert selectors.band_of(76.9, 30) == Band.WEAK
    assert selectors.band_of(95.0, 29) == Band.NONE
    settings.WENMING_SURVEY_BANDS = {"good": 85, "weak": 70, "min_n": 5}
    assert selectors.band_of(80.0, 5) == Band.MIDDLE and selectors.band_of(69.0, 5) == Band.WEAK


def test_period_ranges():
    assert selectors.period_range(Period.MONTH, 2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))
    assert selectors.period_range(Period.QUARTER, 2026, 4) == (date(2026, 10, 1), date(2027, 1, 1))
    assert selectors.period_range(Period.YEAR, 2026, None) == (date(2026, 1, 1), date(2027, 1, 1))
