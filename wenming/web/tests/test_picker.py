"""The one unit / person picker: scoped JSON search, ≤ 20 rows, masked names, whole-scope validation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.organizations.choices import OrgKind
from wenming.organizations.services import org_create

pytestmark = pytest.mark.django_db


def _search(client, source: str, **params):
    resp = client.get(reverse("picker", args=[source]), params)
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    return resp.json()["results"]


def test_search_is_scoped_and_capped(client, personas, org_tree):
    for i in range(30):
        org_create(parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name=f"顺丰沈阳网点{i:02d}", audit=False)
    client.force_login(personas.dalian_admin)
    assert _search(client, "organizations", q="沈阳") == []  # out of scope: nothing is named
    client.force_login(personas.shenyang_admin)
    rows = _search(client, "organizations", q="顺丰沈阳网点")
    assert len(rows) == 20 and all(r["label"].startswith("顺丰沈阳网点") for r in rows)
    assert _search(client, "organizations", q="210100")[0]["id"] == org_tree.shenyang.pk  # by code
    assert {r["id"] for r in _search(client, "organizations", kind="enterprise")} == {org_tree.shenyang_enterprise.pk}


def test_people_are_shown_masked_and_anonymous_users_are_refused(client, personas, org_tree):
    from wenming.activities.tests.conftest import make_courier

    make_courier(org_tree.shenyang_outlet, "张晓明", "21010219900101123", "13812345678")
    assert client.get(reverse("picker", args=["couriers"])).status_code == 302  # login first
    client.force_login(personas.shenyang_admin)
    assert [(r["label"], r["hint"]) for r in _search(client, "couriers", q="张晓明")] == [
        ("张*明", "顺丰沈阳和平营业部")
    ]
    client.force_login(personas.dalian_admin)
    assert _search(client, "couriers", q="张") == []
    assert client.get(reverse("picker", args=["secrets"])).status_code == 404


def test_the_pilot_form_accepts_every_unit_of_the_owner_subtree(client, personas, org_tree):
    """启动试点: the 501st unit under the owner is a valid choice (the form no longer slices to 500)."""
    from wenming.plans.forms import GoalTransitionForm
    from wenming.plans.models import WorkPlan
    from wenming.plans.services import goal_create

    plan = WorkPlan.objects.create(year=2026, organization=org_tree.province, title="要点")
    goal = goal_create(
        plan=plan,
        owner=org_tree.shenyang,
        title="提升",
        indicators="申诉率",
        target="降20%",
        by=personas.province_admin,
    )
    from wenming.organizations.models import Organization

    Organization.objects.bulk_create(
        [
            Organization(
                parent=org_tree.shenyang_enterprise,
                kind=OrgKind.OUTLET,
                name=f"网点{i}",
                path=f"{org_tree.shenyang_enterprise.path}{90000000 + i:08d}.",
                depth=org_tree.shenyang_enterprise.depth + 1,
            )
            for i in range(510)
        ]
    )
    last = Organization.objects.filter(name="网点509").get()
    form = GoalTransitionForm({"pilot_units": [str(last.pk)]}, goal=goal)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["pilot_units"]) == [last]
    html = str(form["pilot_units"])
    assert html.count("<option") == 0 and "网点509" in html and 'data-picker-multiple="1"' in html
    outside = GoalTransitionForm({"pilot_units": str(org_tree.dalian.pk)}, goal=goal)
    assert not outside.is_valid() and "不在本目标牵头单位之下" in outside.errors["pilot_units"][0]
    # without JavaScript the search box is the field: numbers separated by commas
    typed = GoalTransitionForm({"pilot_units": f"{last.pk}，{org_tree.shenyang_outlet.pk}"}, goal=goal)
    assert typed.is_valid() and len(typed.cleaned_data["pilot_units"]) == 2


def test_no_list_filter_renders_one_option_per_unit(client, personas, org_tree):
    for i in range(40):
        org_create(parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name=f"顺丰沈阳网点{i:02d}", audit=False)
    client.force_login(personas.province_admin)
    for name in (
        "activities:list",
        "activities:pairing-list",
        "activities:volunteer-list",
        "activities:volunteer-records",
    ):
        url = reverse(name)
        page = client.get(url).content.decode()
        assert "顺丰沈阳网点" not in page, url
        assert page.count("<option") < 40, url


def test_institution_links_goals_and_dispatches_through_registered_sources(client, personas, org_tree):
    from wenming.plans.models import WorkPlan
    from wenming.plans.services import goal_create

    plan = WorkPlan.objects.create(year=2026, organization=org_tree.province, title="要点")
    goal = goal_create(
        plan=plan,
        owner=org_tree.shenyang,
        title="网点文明服务提升",
        indicators="申诉率",
        target="降20%",
        by=personas.province_admin,
    )
    client.force_login(personas.province_admin)
    page = client.get(reverse("plans:institution-create")).content.decode()
    assert "网点文明服务提升" not in page and 'data-picker-url="/picker/goals/"' in page
    assert [(r["id"], r["hint"]) for r in _search(client, "goals", q="文明")] == [(goal.pk, "要点")]
    client.force_login(personas.dalian_admin)
    assert _search(client, "goals", q="文明") == []
