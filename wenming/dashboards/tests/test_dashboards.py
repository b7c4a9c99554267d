"""Dashboards: scope per user, counters equal their lists, the workbench panel, the big screen's JSON,
constant query counts, and the vendored Liaoning map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.dashboards import selectors
from wenming.dashboards.panels import dashboard_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def acts(personas, org_tree, make_activity):
    """Two activities in Shenyang, one in Dalian."""
    make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0, title="沈阳活动一")
    make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0, title="沈阳活动二")
    make_activity(by=personas.dalian_admin, org=org_tree.dalian, photos=0, title="大连活动")


def test_province_sees_every_city_and_dalian_only_dalian(acts, personas):
    prov = {r["key"]: r["value"] for r in selectors.summary(personas.province_admin)["activities_by_city"]}
    assert len(prov) == 14 and prov["210100"] == 2 and prov["210200"] == 1
    dl = selectors.summary(personas.dalian_admin)
    assert [r["key"] for r in dl["activities_by_city"]] == ["210200"]
    assert dl["figures"]["activities"]["value"] == 1
    assert selectors.summary(personas.shenyang_admin)["figures"]["activities"]["value"] == 2


def test_dashboard_page_is_scoped_and_shows_as_of(client, acts, personas):
    client.force_login(personas.dalian_admin)
    page = client.get(reverse("dashboards:index")).content.decode()
    assert "数据截至" in page and "大连市邮政管理局" in page
    assert "沈阳" not in page
    client.force_login(personas.province_admin)
    page = client.get(reverse("dashboards:index")).content.decode()
    assert "沈阳" in page and "大连" in page and 'data-chart="chart-map-spec"' not in page  # the map is the screen's
    assert page.count("数据截至") >= 4


def test_counters_equal_their_lists(client, acts, personas):
    client.force_login(personas.shenyang_admin)
    figures = selectors.summary(personas.shenyang_admin)["figures"]
    f = figures["activities"]
    page = client.get(f["url"]).content.decode()
    assert f["value"] == 2
    assert page.count("沈阳活动") == 2 and "大连活动" not in page
    for key in ("valid_complaints", "overdue_complaints", "expiring_titles"):
        assert client.get(figures[key]["url"]).status_code == 200


def test_workbench_panel_uses_the_dashboard_numbers(client, acts, personas):
    user = personas.shenyang_admin
    figures = selectors.summary(user)["figures"]
    panel = dashboard_panel(user)
    assert panel is not None
    assert [r.url for r in panel.rows] == [
        figures[k]["url"] for k in ("activities", "hours", "overdue_complaints", "expiring_titles")
    ]
    assert panel.rows[0].title.endswith(f": {figures['activities']['value']}") and figures["activities"]["value"] == 2
    client.force_login(user)
    home = client.get(reverse("workbench:home")).content.decode()
    assert "本年创建活动: 2" in home
    assert dashboard_panel(personas.expert) is None


def test_screen_json_is_scoped_and_permission_gated(client, acts, personas):
    client.force_login(personas.province_admin)
    r = client.get(reverse("dashboards:screen-data"))
    assert r.status_code == 200
    body = r.json()
    assert body["data"]["as_of"] and body["specs"]["map"]["type"] == "map"
    assert dict(body["specs"]["map"]["rows"])["沈阳市"] == 2
    assert client.get(reverse("dashboards:screen")).status_code == 200
    client.force_login(personas.dalian_admin)
    body = client.get(reverse("dashboards:screen-data")).json()
    assert body["data"]["figures"]["activities"]["value"] == 1 and "map" not in body["specs"]
    client.force_login(personas.shenyang_staff)  # city_user: the dashboard, not the big screen
    assert client.get(reverse("dashboards:index")).status_code == 200
    assert client.get(reverse("dashboards:screen-data")).status_code == 403
    client.force_login(personas.expert)
    assert client.get(reverse("dashboards:index")).status_code == 403
    client.logout()
    assert client.get(reverse("dashboards:screen-data")).status_code == 302


def test_live_counters_are_cached_briefly(personas, org_tree, make_activity, acts):
    first = selectors.summary(personas.shenyang_admin)
    make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0, title="沈阳活动三")
    assert selectors.summary(personas.shenyang_admin) == first  # within LIVE_TTL
    assert selectors.summary(personas.shenyang_admin, fresh=True)["figures"]["activities"]["value"] == 3
    assert selectors.LIVE_TTL <= 60


def test_query_count_is_constant_in_data(personas, org_tree, make_activity):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.summary(personas.province_admin, fresh=True)
        return len(ctx.captured_queries)

    make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0)
    count()  # the first call fills per-process lookups (tree, calendar), which are not per-row work
    small = count()
    for by, org in ((personas.shenyang_outlet, org_tree.shenyang_outlet), (personas.dalian_admin, org_tree.dalian)) * 2:
        make_activity(by=by, org=org, photos=0)
    assert count() == small


def test_liaoning_geojson_has_the_14_cities():
    geo = json.loads((Path(settings.BASE_DIR) / "static/vendor/geo/liaoning.json").read_text(encoding="utf-8"))
    features = geo["features"]
    assert len(features) == 14
    assert sorted(f["id"] for f in features) == selectors.CITY_CODES
    names = {f["properties"]["name"] for f in features}
    assert {"沈阳市", "大连市", "葫芦岛市"} <= names and all(re.fullmatch(r"\w{2,3}市", n) for n in names)


def test_activities_by_month_counts_in_local_time(personas, org_tree, make_activity):
    """The monthly trend is counted by the database in Asia/Shanghai months: 23:30 on 31 March is March."""
    from datetime import date, datetime

    from django.utils import timezone

    from wenming.activities.models import Activity

    a = make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0, title="月末活动")
    b = make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0, title="月初活动")
    c = make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, photos=0, title="四月活动")
    tz = timezone.get_current_timezone()
    for act, at in (
        (a, datetime(2026, 3, 31, 23, 30)),
        (b, datetime(2026, 3, 1, 0, 10)),
        (c, datetime(2026, 4, 1, 0, 5)),
    ):
        Activity.objects.filter(pk=act.pk).update(starts_at=timezone.make_aware(at, tz))
    months = dict(selectors.activities_by_month(personas.province_admin, date(2026, 4, 20), months=3))
    assert months == {"2026-02": 0, "2026-03": 2, "2026-04": 1}
