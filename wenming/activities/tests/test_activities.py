"""Activity records: evidence minimum, verification workflow with history, scope on list/detail/export/API."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from wenming.activities import services
from wenming.activities.choices import ActivityStatus
from wenming.activities.models import Activity, ActivityEvent, ActivityType
from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.core.uploads import process_images

from .conftest import photo


def test_types_are_seeded_with_evidence_minimums(types):
    assert len(types) >= 12
    assert types["volunteer_service"].min_photos == 3
    assert types["consumer_day_315"].min_photos == 2
    assert types["consumer_day_315"].figure_labels()["people_consulted"] == "现场咨询（人次）"
    assert {t.name for t in types.values()} >= {
        "岗位建功",
        "志愿服务",
        "结对共建",
        "世界邮政日",
        "我们的节日",
        "技能竞赛",
    }


def test_volunteer_activity_needs_three_photos_to_submit(personas, org_tree, make_activity):
    a = make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, code="volunteer_service", photos=2)
    with pytest.raises(ApplicationError) as exc:
        services.activity_submit(activity_id=a.pk, by=personas.shenyang_admin)
    assert "至少需要 3 张佐证照片" in exc.value.message
    a.refresh_from_db()
    assert a.status == ActivityStatus.DRAFT
    services.activity_update(
        activity_id=a.pk,
        by=personas.shenyang_admin,
        data={**services_data(a)},
        photos=process_images([photo(9)]),
    )
    services.activity_submit(activity_id=a.pk, by=personas.shenyang_admin)
    a.refresh_from_db()
    assert a.status == ActivityStatus.SUBMITTED


def services_data(a: Activity) -> dict:
    return {
        "title": a.title,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "address": a.address,
        "description": a.description,
        "figures": a.figures,
    }


def test_admin_configured_minimum_is_honoured(personas, org_tree, make_activity, types):
    ActivityType.objects.filter(code="study_lecture").update(min_photos=1)
    a = make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, code="study_lecture", photos=1, submit=True)
    assert a.status == ActivityStatus.SUBMITTED


def test_submit_with_too_few_photos_through_the_form_keeps_a_draft(client, personas, org_tree, media):
    client.force_login(personas.shenyang_admin)
    resp = client.post(
        reverse("activities:create", args=["volunteer_service"]),
        {
            "organization": org_tree.shenyang.pk,
            "title": "爱心助老志愿服务",
            "starts_at": "2026-11-20T09:00",
            "address": "和平区敬老院",
            "description": "为老人送快递上门。",
            "submit": "1",
            "photos": [photo(1), photo(2)],
        },
    )
    a = Activity.objects.get()
    assert resp.status_code == 302 and a.status == ActivityStatus.DRAFT
    page = client.get(resp["Location"]).content.decode()
    assert "至少需要 3 张佐证照片" in page


def test_verify_return_resubmit_history(personas, org_tree, make_activity):
    recorder, bureau = personas.shenyang_outlet, personas.shenyang_admin
    a = make_activity(by=recorder, org=org_tree.shenyang_outlet, submit=True)
    services.activity_return(activity_id=a.pk, by=bureau, comment="照片未体现单位名称")
    a.refresh_from_db()
    assert a.status == ActivityStatus.RETURNED
    services.activity_submit(activity_id=a.pk, by=recorder)
    services.activity_verify(activity_id=a.pk, by=bureau)
    a.refresh_from_db()
    assert a.status == ActivityStatus.VERIFIED and a.verified_by == bureau
    kinds = list(ActivityEvent.objects.filter(activity=a).values_list("kind", "to_status", "comment"))
    assert kinds == [
        ("submit", "submitted", ""),
        ("return", "returned", "照片未体现单位名称"),
        ("resubmit", "submitted", ""),
        ("verify", "verified", ""),
    ]
    assert AuditEvent.objects.filter(action="decision", object_id=str(a.pk)).count() == 4


def test_return_needs_a_comment(personas, org_tree, make_activity):
    a = make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, submit=True)
    with pytest.raises(ApplicationError):
        services.activity_return(activity_id=a.pk, by=personas.shenyang_admin, comment="  ")


def test_enterprise_may_record_but_not_verify(personas, org_tree, make_activity):
    a = make_activity(by=personas.shenyang_enterprise, org=org_tree.shenyang_enterprise, submit=True)
    with pytest.raises(PermissionDenied):
        services.activity_verify(activity_id=a.pk, by=personas.shenyang_enterprise)


def test_verify_buttons_by_view(client, personas, org_tree, make_activity):
    a = make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, submit=True)
    client.force_login(personas.shenyang_outlet)
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "核实通过" not in page
    assert client.post(reverse("activities:verify", args=[a.pk])).status_code == 403
    client.force_login(personas.dalian_admin)
    assert client.post(reverse("activities:verify", args=[a.pk])).status_code == 404
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "核实通过" in page and "退回" in page
    client.post(reverse("activities:return", args=[a.pk]), {"comment": "请补充受益人数"})
    a.refresh_from_db()
    assert a.status == ActivityStatus.RETURNED
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "请补充受益人数" in page and "已退回" in page


def test_dalian_never_sees_shenyang_activities(client, personas, org_tree, make_activity):
    sy = make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, title="沈阳独有活动")
    dl = make_activity(by=personas.dalian_admin, org=org_tree.dalian, title="大连本地活动")
    client.force_login(personas.dalian_admin)
    page = client.get(reverse("activities:list")).content.decode()
    assert "大连本地活动" in page and "沈阳独有活动" not in page
    assert client.get(reverse("activities:detail", args=[sy.pk])).status_code == 404
    assert client.get(reverse("activities:detail", args=[dl.pk])).status_code == 200
    photo_pk = sy.photos.first().pk
    assert client.get(reverse("activities:photo", args=[photo_pk])).status_code == 404
    assert client.get(reverse("activities:ledger", args=[org_tree.shenyang.pk])).status_code == 404
    # export honours the scope
    resp = client.get(reverse("activities:list") + "?export=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    titles = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["大连本地活动"]
    # API list and detail
    data = client.get("/api/v1/activities/").json()
    assert [r["title"] for r in data["results"]] == ["大连本地活动"]
    assert client.get(f"/api/v1/activities/{sy.pk}/").status_code == 404
    # the province sees both
    client.force_login(personas.province_admin)
    page = client.get(reverse("activities:list")).content.decode()
    assert "大连本地活动" in page and "沈阳独有活动" in page


def test_list_filters_keep_values_and_calendar_gallery_ledger_render(client, personas, org_tree, make_activity):
    make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, title="文明宣传进社区")
    make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, code="study_lecture", title="道德讲堂第一讲")
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("activities:list") + "?q=道德").content.decode()
    assert "道德讲堂第一讲" in page and "文明宣传进社区" not in page and 'value="道德"' in page
    page = client.get(reverse("activities:list") + "?q=不存在的活动").content.decode()
    assert "没有符合条件的记录" in page
    page = client.get(reverse("activities:list") + "?core_value=integrity").content.decode()
    assert "文明宣传进社区" in page
    a = Activity.objects.get(title="文明宣传进社区")
    month = a.starts_at.astimezone().strftime("%Y-%m")
    page = client.get(reverse("activities:calendar") + f"?month={month}").content.decode()
    assert "文明宣传进社区" in page
    assert client.get(reverse("activities:gallery")).status_code == 200
    page = client.get(reverse("activities:ledger", args=[org_tree.shenyang.pk])).content.decode()
    assert "文明宣传进社区" in page and "创建台账" in page


def test_api_create_respects_scope(client, personas, org_tree, types):
    client.force_login(personas.dalian_admin)
    body = {
        "organization": org_tree.shenyang.pk,
        "activity_type": "world_post_day",
        "title": "世界邮政日开放日",
        "starts_at": "2026-10-09T09:00:00+08:00",
        "address": "大连市中山区人民路",
        "description": "邮政开放日。",
        "figures": {"visitors": 120},
        "core_values": ["dedication"],
    }
    resp = client.post("/api/v1/activities/", body, content_type="application/json")
    assert resp.status_code == 400
    assert "不在您的数据范围内" in resp.json()["organization"][0]
    assert Activity.objects.count() == 0
    resp = client.post(
        "/api/v1/activities/", {**body, "organization": org_tree.dalian.pk}, content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["status"] == "draft" and data["figures"] == {"visitors": 120} and data["core_values"] == ["敬业"]
    client.force_login(personas.expert)
    assert client.post("/api/v1/activities/", body, content_type="application/json").status_code == 403
