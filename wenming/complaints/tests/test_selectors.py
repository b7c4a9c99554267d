"""The contract read by the effect evaluation: valid complaints per outlet in [start, end)."""

from datetime import date

import pytest

from wenming.complaints.choices import ComplaintStatus
from wenming.complaints.selectors import valid_complaints_by_outlet

from .factories import make_complaint

pytestmark = pytest.mark.django_db


def test_valid_complaints_by_outlet_counts_valid_cases_in_the_half_open_period(org_tree):
    t = org_tree
    sy, dl = t.shenyang_outlet, t.dalian_outlet
    closed = ComplaintStatus.CLOSED
    make_complaint(t.shenyang_enterprise, outlet=sy, received_on=date(2026, 3, 1), status=closed, is_valid=True)
    make_complaint(t.shenyang_enterprise, outlet=sy, received_on=date(2026, 3, 31), status=closed, is_valid=True)
    # the end day is outside, the day before the start too
    make_complaint(t.shenyang_enterprise, outlet=sy, received_on=date(2026, 4, 1), status=closed, is_valid=True)
    make_complaint(t.shenyang_enterprise, outlet=sy, received_on=date(2026, 2, 28), status=closed, is_valid=True)
    # not valid, not decided, no outlet: not counted
    make_complaint(t.shenyang_enterprise, outlet=sy, received_on=date(2026, 3, 5), status=closed, is_valid=False)
    make_complaint(t.shenyang_enterprise, outlet=sy, received_on=date(2026, 3, 6))
    make_complaint(t.shenyang_enterprise, received_on=date(2026, 3, 7), status=closed, is_valid=True)
    make_complaint(t.dalian_enterprise, outlet=dl, received_on=date(2026, 3, 9), status=closed, is_valid=True)

    got = valid_complaints_by_outlet([sy.pk, dl.pk, t.province.pk], date(2026, 3, 1), date(2026, 4, 1))
    assert got == {sy.pk: 2, dl.pk: 1, t.province.pk: 0}
    assert valid_complaints_by_outlet([sy.pk], date(2026, 4, 1), date(2026, 3, 1)) == {sy.pk: 0}
    assert valid_complaints_by_outlet([], date(2026, 1, 1), date(2026, 12, 1)) == {}
