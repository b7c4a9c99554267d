"""Pages, scope contracts and the API of the honours engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from wenming.honours.models import Application, Title
from wenming.honours.tests import factories as f
from wenming.testing import ScopedModelContract

pytestmark = pytest.mark.django_db

CONTRACT_EXEMPT = {
    "honours.Cycle": "评选批次是省局面向全省发布的申报通知（组织单位为省局），所有工作人员都能看到并申报；批次内的申报按申报单位的数据范围显示",
}


class TestApplicationScope(ScopedModelContract):
    model = Application
    list_url_name = "honours:application-list"
    detail_url_name = "honours:application-detail"
    api_list_url_name = "api:honours-application-list"
    api_detail_url_name = "api:honours-application-detail"

    def make_in(self, city):
        from wenming.honours.models import Cycle

        cycle = Cycle.objects.first() or f.cycle("youth_civilization", city.parent)
        return f.application(cycle, city, status="city_review", name=f"{city.name}机关文明科室")

    def label(self, obj):
        return obj.name


class TestTitleScope(ScopedModelContract):
    model = Title
    list_url_name = "honours:title-list"
    detail_url_name = "honours:title-detail"
    api_list_url_name = "api:honours-title-list"
    api_detail_url_name = "api:honours-title-detail"
    search_param = "q"

    def make_in(self, city):
        return f.title("civilized_window", city, holder=f"{city.name}服务大厅")

    def label(self, obj):
        return obj.holder


def test_staff_pages_render(client, ns):
    p, t = ns.p, ns.t
    cycle = f.cycle("youth_civilization", t.province)
    app = f.application(cycle, t.shenyang_outlet, status="city_review", by=p.shenyang_outlet)
    title = f.title("women_civilization_post", t.shenyang_outlet)
    n = f.notice(cycle, [app])
    o = f.objection(n, app)
    client.force_login(p.province_admin)
    for url in [
        reverse("honours:cycle-list"),
        reverse("honours:cycle-detail", args=[cycle.pk]),
        reverse("honours:cycle-create"),
        reverse("honours:application-list"),
        reverse("honours:application-detail", args=[app.pk]),
        reverse("honours:queue"),
        reverse("honours:queue") + "?tab=office",
        reverse("honours:objection-list"),
        reverse("honours:objection-detail", args=[o.pk]),
        reverse("honours:title-list"),
        reverse("honours:title-detail", args=[title.pk]),
        reverse("honours:manage"),
        reverse("public:honours-notices"),
        reverse("public:honours-notice", args=[n.pk]),
        reverse("public:honours-roll"),
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(p.shenyang_outlet)
    body = client.get(reverse("honours:application-new", args=[cycle.pk])).content.decode()
    assert "负责人" in body and "申报单位" in body


def test_city_reviewer_decides_through_the_page_and_the_queue_empties(client, ns):
    p, t = ns.p, ns.t
    app = f.application(
        f.cycle("youth_civilization", t.province), t.shenyang_outlet, status="city_review", by=p.shenyang_outlet
    )
    client.force_login(p.shenyang_admin)
    assert "青年服务班组" in client.get(reverse("honours:queue")).content.decode()
    resp = client.post(reverse("honours:application-decide", args=[app.pk]), {"decision": "return", "comment": ""})
    app.refresh_from_db()
    assert resp.status_code == 302 and app.status == "city_review"  # a return needs a comment
    client.post(
        reverse("honours:application-decide", args=[app.pk]), {"decision": "return", "comment": "请补充结对共建记录"}
    )
    app.refresh_from_db()
    assert app.status == "returned"
    assert "青年服务班组" not in client.get(reverse("honours:queue")).content.decode()


def test_todo_counter_equals_the_queue(ns):
    from wenming.honours import selectors
    from wenming.honours.todos import honours_todos

    p, t = ns.p, ns.t
    c = f.cycle("youth_civilization", t.province)
    for _ in range(3):
        f.application(c, t.shenyang_outlet, status="city_review")
    f.application(c, t.dalian_outlet, status="city_review")
    items = [i for i in honours_todos(p.shenyang_admin) if i.url == reverse("honours:queue")]
    assert [i.title for i in items] == ["待审核的荣誉申报 3 件"]
    assert selectors.review_queue(user=p.shenyang_admin).count() == 3


def test_api_applicant_creates_and_submits_and_reviewer_decides(client, ns):
    p, t = ns.p, ns.t
    members = f.team(t.shenyang_outlet, 8)
    f.title("youth_civilization", t.shenyang_outlet, level="city", valid_from=f.today() - timedelta(days=800))
    cycle = f.cycle("youth_civilization", t.province)
    client.force_login(p.shenyang_outlet)
    resp = client.post(
        reverse("api:honours-application-list"),
        {
            "cycle": cycle.pk,
            "organization": t.shenyang_outlet.pk,
            "name": "和平营业部青年班组",
            "statement": "事迹",
            "leader": members[0].pk,
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    app_id = resp.json()["id"]
    resp = client.post(reverse("api:honours-application-submit", args=[app_id]))
    assert resp.status_code == 400 and "必备材料" in resp.content.decode()
    from wenming.honours.models import Evidence

    for code in ("plan", "notice_board"):
        Evidence.objects.create(application_id=app_id, requirement=code, kind="file", file="x.pdf", label=code)
    assert client.post(reverse("api:honours-application-submit", args=[app_id])).json()["status"] == "city_review"
    client.force_login(p.dalian_admin)
    assert (
        client.post(reverse("api:honours-application-decide", args=[app_id]), {"decision": "advance"}).status_code
        == 404
    )
    client.force_login(p.shenyang_admin)
    resp = client.post(
        reverse("api:honours-application-decide", args=[app_id]),
        {"decision": "advance"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["status"] == "province_review"
    client.force_login(p.province_admin)
    assert client.get(reverse("api:honours-programme-list")).json()["count"] == 8
    assert client.get(reverse("api:honours-cycle-ranking", args=[cycle.pk])).json() == []
