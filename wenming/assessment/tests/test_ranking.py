"""The ranking over a hand-computed fixture, its scope, drill-down and query count."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.assessment import selectors, services
from wenming.assessment.metrics import MetricValue, Period
from wenming.assessment.models import MetricSnapshot
from wenming.audit.models import AuditEvent

from .conftest import VALUES


def test_ranking_points_and_ranks(ranked, personas, org_tree):
    r = selectors.ranking(personas.province_admin, year=2026)
    by = {row.org.code: row for row in r.rows}
    # t_good linear over {90, 60}: Shenyang 60, Dalian 0. t_bad target 2 (lower better): Shenyang 40×2/4 = 20, Dalian 40.
    assert by["210100"].total == D("80.00") and by["210200"].total == D("40.00")
    assert (by["210100"].rank, by["210200"].rank) == (1, 2)
    cell = by["210100"].cells[0]
    assert cell.value.numerator == D(9) and cell.points == D("60.00")
    assert r.as_of is not None


def test_adjustment_changes_total_and_is_audited(ranked, personas, org_tree):
    adj = services.adjustment_add(
        org=org_tree.dalian, year=2026, points="45", reason="承办全省现场会，工作成效突出", by=personas.province_admin
    )
    assert AuditEvent.objects.filter(action="assessment.adjustment_add", object_id=str(adj.pk)).exists()
    r = selectors.ranking(personas.province_admin, year=2026)
    by = {row.org.code: row for row in r.rows}
    assert by["210200"].total == D("85.00") and by["210200"].rank == 1
    services.adjustment_revoke(adjustment_id=adj.pk, reason="经复核，该项已计入其他指标", by=personas.province_admin)
    assert AuditEvent.objects.filter(action="assessment.adjustment_revoke", object_id=str(adj.pk)).exists()
    by = {row.org.code: row for row in selectors.ranking(personas.province_admin, year=2026).rows}
    assert by["210200"].total == D("40.00")


def test_adjustment_needs_a_reason_of_ten_characters(ranked, personas, org_tree):
    import pytest

    from wenming.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        services.adjustment_add(org=org_tree.dalian, year=2026, points="5", reason="太短", by=personas.province_admin)
    assert exc.value.field == "reason" and "10" in exc.value.message


def test_city_sees_only_its_row_with_its_provincial_rank(ranked, personas):
    r = selectors.ranking(personas.dalian_admin, year=2026)
    assert [row.org.code for row in r.rows] == ["210200"]
    assert r.rows[0].rank == 2 and r.city_count == 2


def test_ranking_page_and_drill_down(client, ranked, personas, org_tree):
    client.force_login(personas.province_admin)
    body = client.get(reverse("assessment:ranking"), {"year": 2026}).content.decode()
    assert "沈阳市邮政管理局" in body and "大连市邮政管理局" in body and "80.00" in body
    url = selectors.cell_url(org_tree.dalian, "t_good", 2026)
    assert url in body.replace("&amp;", "&")
    detail = client.get(url).content.decode()
    assert "/plans/tasks/?city=" in detail and "60" in detail


def test_city_user_404_on_another_citys_detail(client, ranked, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    assert client.get(selectors.cell_url(org_tree.dalian, "t_good", 2026)).status_code == 404
    assert client.get(selectors.cell_url(org_tree.shenyang, "t_good", 2026)).status_code == 200
    body = client.get(reverse("assessment:ranking"), {"year": 2026}).content.decode()
    assert "沈阳市邮政管理局" in body and "大连市邮政管理局" not in body


def test_ranking_page_queries_constant_in_records(client, ranked, personas, org_tree):
    client.force_login(personas.province_admin)
    url = reverse("assessment:ranking") + "?year=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for i in range(5):
        services.adjustment_add(
            org=org_tree.shenyang, year=2026, points="1", reason=f"第{i}次表彰加分理由说明", by=personas.province_admin
        )
    VALUES["t_good"]["210200"] = MetricValue(D(95), D(19), D(20))
    services.refresh_snapshots(Period.year(2026), keys=["t_good", "t_bad"])
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_snapshot_table_and_series(ranked, personas, org_tree):
    t = selectors.snapshot_table(personas.province_admin, period=Period.year(2026), keys=["t_good"])
    assert {o.code: s["t_good"].value for o, s in t.rows} == {"210100": D(90), "210200": D(60)}
    mine = selectors.snapshot_table(personas.shenyang_admin, period=Period.year(2026))
    assert [o.code for o, _ in mine.rows] == ["210100"]
    series = selectors.metric_series(
        personas.province_admin, "t_good", org=org_tree.shenyang, periods=[Period.year(2025), Period.year(2026)]
    )
    assert series[0][1] is None and series[1][1].value == D(90)
    # a refresh replaces the rows: still one per city, metric and period
    services.refresh_snapshots(Period.year(2026), keys=["t_good"])
    assert MetricSnapshot.objects.filter(metric_key="t_good", period_kind="year").count() == 2


def test_ranking_page_lists_adjustments_or_says_there_are_none(client, ranked, personas, org_tree):
    url = reverse("assessment:ranking") + "?year=2026"
    client.force_login(personas.province_admin)
    assert "本年没有加减分" in client.get(url).content.decode()
    services.adjustment_add(
        org=org_tree.shenyang, year=2026, points="2", reason="承办全省现场会，工作成效突出", by=personas.province_admin
    )
    page = client.get(url).content.decode()
    assert "沈阳市邮政管理局：2.00 分 · 承办全省现场会" in page and "本年没有加减分" not in page
    client.force_login(personas.dalian_admin)
    page = client.get(url).content.decode()
    assert "本年没有加减分" in page and "承办全省现场会" not in page  # Shenyang's adjustment is not Dalian's
