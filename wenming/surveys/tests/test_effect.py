"""Effect evaluation (difference-in-differences) against a hand-computed fixture, and "数据不足"."""

import math
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.surveys import effect, rollup

from .conftest import add_response

# treated outlet (和平): March 60, 70 → 65; May 80, 90 → 85      (variances 50, 50)
# control outlet (皇姑):  March 70, 80 → 75; May 72, 78 → 75      (variances 50, 18)
# DiD = (85 − 65) − (75 − 75) = 20; Var = 50/2 + 50/2 + 50/2 + 18/2 = 84
FIXTURE = {
    "treated": {date(2026, 3, 10): 60, date(2026, 3, 20): 70, date(2026, 5, 10): 80, date(2026, 5, 20): 90},
    "control": {date(2026, 3, 11): 70, date(2026, 3, 21): 80, date(2026, 5, 11): 72, date(2026, 5, 21): 78},
}


@pytest.fixture
def fixture_rows(org_tree, second_outlet, questionnaire):
    for day, score in FIXTURE["treated"].items():
        add_response(org_tree.shenyang_outlet, questionnaire, score, day)
    for day, score in FIXTURE["control"].items():
        add_response(second_outlet, questionnaire, score, day)
    add_response(org_tree.shenyang_outlet, questionnaire, 0, date(2026, 4, 20))  # the start month: left out
    add_response(org_tree.dalian_outlet, questionnaire, 10, date(2026, 3, 1))  # another city: not a control
    rollup.refresh()


@pytest.mark.django_db
def test_difference_in_differences_by_hand(org_tree, personas, fixture_rows):
    e = effect.evaluate(
        user=personas.province_admin, orgs=[org_tree.shenyang_outlet], start=date(2026, 4, 15), months=1, min_n=2
    )
    assert e.ok, e.reason
    assert e.before == (date(2026, 3, 1), date(2026, 4, 1)) and e.after == (date(2026, 5, 1), date(2026, 6, 1))
    assert (e.treated_outlets, e.control_outlets) == (1, 1)
    assert e.cells["t0"].mean == pytest.approx(65) and e.cells["t1"].mean == pytest.approx(85)
    assert e.cells["c0"].mean == pytest.approx(75) and e.cells["c1"].mean == pytest.approx(75)
    assert e.cells["c1"].variance == pytest.approx(18)
    assert e.did == pytest.approx(20)
    half = 1.959964 * math.sqrt(84)
    assert e.ci == pytest.approx((20 - half, 20 + half))
    assert round(e.ci[0], 2) == 2.04 and e.significant


@pytest.mark.django_db
def test_too_few_responses_says_not_enough_data(org_tree, personas, fixture_rows):
    e = effect.evaluate(
        user=personas.province_admin, orgs=[org_tree.shenyang_outlet], start=date(2026, 4, 15), months=1
    )
    assert not e.ok and e.reason == "数据不足" and e.did is None  # default minimum: 30 per cell


@pytest.mark.django_db
def test_enterprise_units_cover_their_outlets(org_tree, personas, second_outlet):
    assert effect.outlets_of([org_tree.shenyang_enterprise]) == {org_tree.shenyang_outlet.pk, second_outlet.pk}
    assert effect.outlets_of([org_tree.dalian_outlet]) == {org_tree.dalian_outlet.pk}


@pytest.mark.django_db
def test_panel_on_an_activity_is_scoped_and_says_not_enough_data(client, org_tree, personas, fixture_rows):
    from wenming.activities.models import Activity, ActivityType

    a = Activity.objects.create(
        organization=org_tree.shenyang_enterprise,
        outlet=org_tree.shenyang_outlet,
        activity_type=ActivityType.objects.order_by("pk").first(),
        title="文明寄递进社区",
        starts_at=timezone.now() - timedelta(days=3),
        address="和平区",
        description="测试",
    )
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("surveys:effect", args=["activity", a.pk]))
    assert resp.status_code == 200 and "数据不足" in resp.content.decode()
    detail = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert reverse("surveys:effect", args=["activity", a.pk]) in detail  # the hook on the activity page
    client.force_login(personas.dalian_admin)
    assert client.get(reverse("surveys:effect", args=["activity", a.pk])).status_code == 404


def _complaint(outlet_org, ent, day: date, valid: bool | None, n: int):
    from datetime import datetime, time

    from wenming.complaints.models import Complaint

    received = timezone.make_aware(datetime.combine(day, time(9)))
    return Complaint.objects.create(
        case_no=f"T{n:08d}",
        enterprise=ent,
        outlet=outlet_org,
        brand_id=outlet_org.outlet.brand_id,
        city_code=outlet_org.city_code,
        waybill_no=f"SF{n:010d}",
        category="delay",
        business_type="parcel",
        description="延误",
        mailed_on=day - timedelta(days=20),
        prior_complaint_on=day - timedelta(days=10),
        received_at=received,
        received_on=day,
        accept_due=day + timedelta(days=2),
        is_valid=valid,
    )


@pytest.mark.django_db
def test_valid_complaint_rate_difference_in_differences_by_hand(org_tree, personas, second_outlet, fixture_rows):
    # valid complaints per outlet-month: treated March 4 → May 1; control March 2 → May 2
    # DiD = (1 − 4) − (2 − 2) = −3; Poisson Var = (4 + 1 + 2 + 2) / 1² = 9 → half-width 1.96 · 3
    ent, n = org_tree.shenyang_enterprise, iter(range(1, 100))
    for k in range(4):
        _complaint(org_tree.shenyang_outlet, ent, date(2026, 3, 2 + k), True, next(n))
    _complaint(org_tree.shenyang_outlet, ent, date(2026, 3, 9), False, next(n))  # not valid: not counted
    _complaint(org_tree.shenyang_outlet, ent, date(2026, 4, 20), True, next(n))  # the start month: left out
    _complaint(org_tree.shenyang_outlet, ent, date(2026, 5, 3), True, next(n))
    for d in (date(2026, 3, 5), date(2026, 3, 6), date(2026, 5, 7), date(2026, 5, 31)):
        _complaint(second_outlet, ent, d, True, next(n))
    e = effect.evaluate(
        user=personas.province_admin, orgs=[org_tree.shenyang_outlet], start=date(2026, 4, 15), months=1, min_n=2
    )
    c = e.complaints
    assert c is not None
    assert [c["cells"][k].complaints for k in ("t0", "t1", "c0", "c1")] == [4, 1, 2, 2]
    assert c["did"] == pytest.approx(-3)
    assert c["ci"] == pytest.approx((-3 - 1.959964 * 3, -3 + 1.959964 * 3))
