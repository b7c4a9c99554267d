"""The data-scope contract applied to the snapshots (the ranking page and the city-indicator detail)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from wenming.assessment import services
from wenming.assessment.models import MetricSnapshot
from wenming.testing import ScopedModelContract

CONTRACT_EXEMPT = {
    "assessment.Scheme": "考核方案归省局（制定单位为省局节点），页面只对有 assessment.manage 的省局角色开放",
    "assessment.Adjustment": "加减分在排名页（随快照契约，市局只见本市行）与加减分列表显示；列表范围由 test_adjustment_list_scope 检查",
}


class TestSnapshotScope(ScopedModelContract):
    model = MetricSnapshot
    list_url_name = "assessment:ranking"
    detail_url_name = "assessment:cell"
    search_param = None
    list_params = {"year": "2026"}

    @pytest.fixture(autouse=True)
    def _scheme(self, scheme_2026):
        return scheme_2026

    def make_in(self, city):
        return MetricSnapshot.objects.create(
            org=city,
            period_kind="year",
            period_start="2026-01-01",
            period_end="2026-12-31",
            metric_key="t_good",
            value=D(50),
        )

    def label(self, obj):
        return obj.org.name

    def detail_url(self, obj):
        return reverse("assessment:cell", args=[obj.org_id, obj.metric_key]) + "?year=2026"

    def test_export_holds_no_out_of_scope_row(self, client, personas, scoped_rows):
        client.force_login(personas.shenyang_admin)
        resp = client.get(reverse(self.list_url_name), {"year": "2026", "export": "csv"})
        body = b"".join(resp.streaming_content).decode("utf-8-sig") if resp.streaming else resp.content.decode()
        assert resp.status_code == 200 and "沈阳市邮政管理局" in body and "大连市邮政管理局" not in body


def test_adjustment_list_scope(client, scheme_2026, personas, org_tree):
    for city, reason in ((org_tree.shenyang, "沈阳承办全省现场会加分"), (org_tree.dalian, "大连发生重大舆情扣分")):
        services.adjustment_add(org=city, year=2026, points="2", reason=reason, by=personas.province_admin)
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("assessment:adjustment-list"), {"year": 2026}).content.decode()
    assert "沈阳承办全省现场会加分" in body and "大连发生重大舆情扣分" not in body
    client.force_login(personas.province_admin)
    body = client.get(reverse("assessment:adjustment-list"), {"year": 2026}).content.decode()
    assert "沈阳承办全省现场会加分" in body and "大连发生重大舆情扣分" in body
