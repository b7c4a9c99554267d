"""The dashboards read the assessment ranking (year snapshots): the province sees every ranked city,
Dalian only its own row with its rank among all cities, on the page, the big screen and its JSON."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.assessment import services
from wenming.assessment.metrics import MetricValue, Period
from wenming.assessment.tests.conftest import VALUES, scheme_2026, test_metrics  # noqa: F401
from wenming.dashboards import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked_now(test_metrics, personas, org_tree):  # noqa: F811
    year = timezone.localdate().year
    s = services.scheme_create(
        by=personas.province_admin,
        year=year,
        name="本年度城市考核方案",
        indicators=[{"metric_key": "t_good", "weight": D(100), "rule": "linear"}],
    )
    services.scheme_publish(scheme_id=s.pk, by=personas.province_admin)
    VALUES["t_good"] = {"210100": MetricValue(D(90), D(9), D(10)), "210200": MetricValue(D(60), D(6), D(10))}
    services.refresh_snapshots(Period.year(year), keys=["t_good"])
    return year


def test_province_ranking_has_every_city_in_rank_order(ranked_now, personas):
    r = selectors.summary(personas.province_admin, fresh=True)["ranking"]
    assert [(row["key"], row["rank"]) for row in r["rows"]][:2] == [("210100", 1), ("210200", 2)]
    assert r["rows"][0]["value"] > r["rows"][1]["value"]
    assert r["as_of"] is not None and r["year"] == ranked_now


def test_dalian_sees_only_its_own_rank(client, ranked_now, personas):
    r = selectors.summary(personas.dalian_admin, fresh=True)["ranking"]
    assert [(row["key"], row["rank"]) for row in r["rows"]] == [("210200", 2)]
    client.force_login(personas.dalian_admin)
    page = client.get(reverse("dashboards:index")).content.decode()
    assert "2. 大连市邮政管理局" in page and "沈阳市邮政管理局" not in page
    body = json.dumps(client.get(reverse("dashboards:screen-data")).json(), ensure_ascii=False)
    assert "沈阳" not in body and "大连市邮政管理局" in body


def test_big_screen_shows_the_ranking_with_as_of(client, ranked_now, personas):
    client.force_login(personas.province_admin)
    html = client.get(reverse("dashboards:screen")).content.decode()
    assert 'data-chart="chart-ranking-spec"' in html
    assert "1. 沈阳市邮政管理局" in html


def test_no_published_scheme_means_no_ranking_chart(client, personas):
    client.force_login(personas.province_admin)
    html = client.get(reverse("dashboards:screen")).content.decode()
    assert 'data-chart="chart-ranking-spec"' not in html
    assert "本年暂无考核结果" in html
