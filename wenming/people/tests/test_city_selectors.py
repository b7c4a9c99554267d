"""The per-city courier count the assessment reads (active couriers by the city of their outlet)."""

from __future__ import annotations

import pytest

from wenming.people.models import CourierStatus
from wenming.people.selectors import active_couriers_by_city
from wenming.people.tests.factories import make_courier

pytestmark = pytest.mark.django_db


def test_active_couriers_by_city_counts_active_ones_per_outlet_city(org_tree):
    make_courier(org_tree.shenyang_outlet, "张一")
    make_courier(org_tree.shenyang_outlet, "张二")
    make_courier(org_tree.shenyang_outlet, "张三", status=CourierStatus.LEFT)  # left: not counted
    make_courier(org_tree.dalian_outlet, "王一")

    assert active_couriers_by_city() == {"210100": 2, "210200": 1}


def test_active_couriers_by_city_is_empty_without_couriers(org_tree):
    assert active_couriers_by_city() == {}
