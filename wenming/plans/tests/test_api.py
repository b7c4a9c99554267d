"""JSON API of plans: scoped reads (404 outside), 签收 and 报送进展 through the services, errors in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from wenming.api.services import api_token_create
from wenming.audit.models import AuditEvent
from wenming.plans.choices import WorkTaskStatus as S
from wenming.plans.models import ProgressReport, WorkGoal, WorkPlan, WorkTaskEvent
from wenming.plans.services import report_create

from .conftest import at

TASKS = "/api/v1/tasks/"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "REMOTE_ADDR": "10.1.2.3"}


@pytest.fixture
def plan(org_tree, personas):
    p = WorkPlan.objects.create(year=2026, organization=org_tree.province, title="2026年精神文明建设工作方案")
    WorkGoal.objects.create(plan=p, title="文明网点创建", owner=org_tree.shenyang)
    return p


@pytest.fixture
def sy_task(make_task, plan):
    return make_task(due=date(2026, 12, 30), plan=plan)


@pytest.fixture
def dl_task(make_task, org_tree):
    return make_task(due=date(2026, 12, 30), assignee=org_tree.dalian, title="大连专项")


def test_lists_and_details_are_scoped(client, personas, sy_task, dl_task, plan):
    _, key = api_token_create(user=personas.shenyang_admin, name="对接")
    with at(2026, 11, 3):
        rows = client.get(TASKS, **bearer(key)).json()
        assert [r["id"] for r in rows["results"]] == [sy_task.pk]
        assert rows["results"][0]["status"] == S.DISPATCHED and rows["results"][0]["light"] is not None
        assert client.get(f"{TASKS}{sy_task.pk}/", **bearer(key)).status_code == 200
        assert client.get(f"{TASKS}{dl_task.pk}/", **bearer(key)).status_code == 404
        # the province's plan is not in a city's scope; the province sees it and its goal
        assert client.get("/api/v1/plans/", **bearer(key)).json()["count"] == 0
        _, pkey = api_token_create(user=personas.province_admin, name="省局")
        assert client.get(f"/api/v1/plans/{plan.pk}/", **bearer(pkey)).json()["title"] == plan.title
        goals = client.get("/api/v1/goals/", {"plan": plan.pk}, **bearer(pkey)).json()
        assert [g["title"] for g in goals["results"]] == ["文明网点创建"]
        assert client.get(TASKS, {"page_size": 1}, **bearer(pkey)).json()["count"] == 2


def test_task_filters_and_bad_filter_value(client, personas, sy_task, dl_task, plan):
    _, key = api_token_create(user=personas.province_admin, name="省局")
    with at(2026, 11, 3):
        assert [r["id"] for r in client.get(TASKS, {"plan": plan.pk}, **bearer(key)).json()["results"]] == [sy_task.pk]
        assert client.get(TASKS, {"q": "大连"}, **bearer(key)).json()["count"] == 1
        assert client.get(TASKS, {"status": "closed"}, **bearer(key)).json()["count"] == 0
        bad = client.get(TASKS, {"status": "nonsense"}, **bearer(key))
    assert bad.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in bad.content.decode())


def test_reports_are_scoped(client, personas, org_tree):
    with at(2026, 11, 3):
        r = report_create(
            organization=org_tree.shenyang, kind="monthly", year=2026, period=10, by=personas.shenyang_admin
        )
    _, sy = api_token_create(user=personas.shenyang_admin, name="沈阳")
    _, dl = api_token_create(user=personas.dalian_admin, name="大连")
    assert [x["id"] for x in client.get("/api/v1/reports/", **bearer(sy)).json()["results"]] == [r.pk]
    assert client.get(f"/api/v1/reports/{r.pk}/", **bearer(dl)).status_code == 404
    assert ProgressReport.objects.count() == 1


def test_acknowledge_writes_the_event_and_an_audit_row_with_the_ip(client, personas, sy_task):
    _, key = api_token_create(user=personas.shenyang_admin, name="对接")
    with at(2026, 11, 3):
        response = client.post(f"{TASKS}{sy_task.pk}/acknowledge/", **bearer(key))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == S.IN_PROGRESS
    assert WorkTaskEvent.objects.filter(task=sy_task, kind="acknowledge", by=personas.shenyang_admin).exists()
    row = AuditEvent.objects.filter(object_id=str(sy_task.pk), detail__transition="acknowledge").get()
    assert row.actor_id == personas.shenyang_admin.pk and row.ip == "10.1.2.3"


def test_second_acknowledge_is_400_in_chinese(client, personas, sy_task):
    _, key = api_token_create(user=personas.shenyang_admin, name="对接")
    with at(2026, 11, 3):
        assert client.post(f"{TASKS}{sy_task.pk}/acknowledge/", **bearer(key)).status_code == 200
        again = client.post(f"{TASKS}{sy_task.pk}/acknowledge/", **bearer(key))
    assert again.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in again.content.decode())


def test_supervisor_without_handling_right_gets_403(client, personas, sy_task):
    """The province sees the task (its own dispatch) but does not 签收 it: 403, nothing written."""
    _, key = api_token_create(user=personas.province_admin, name="省局")
    with at(2026, 11, 3):
        response = client.post(f"{TASKS}{sy_task.pk}/acknowledge/", **bearer(key))
    assert response.status_code == 403
    sy_task.refresh_from_db()
    assert sy_task.status == S.DISPATCHED


def test_out_of_scope_write_is_404(client, personas, dl_task):
    _, key = api_token_create(user=personas.shenyang_admin, name="对接")
    with at(2026, 11, 3):
        assert client.post(f"{TASKS}{dl_task.pk}/acknowledge/", **bearer(key)).status_code == 404


def test_progress_and_report(client, personas, sy_task):
    _, key = api_token_create(user=personas.shenyang_admin, name="对接")
    url = f"{TASKS}{sy_task.pk}"
    with at(2026, 11, 3):
        client.post(f"{url}/acknowledge/", **bearer(key))
        bad = client.post(f"{url}/progress/", {"progress": 150, "note": "x"}, **bearer(key))
        assert bad.status_code == 400 and "progress" in bad.json()
        ok = client.post(f"{url}/progress/", {"progress": 40, "note": "已部署"}, **bearer(key))
        assert ok.status_code == 200 and ok.json()["progress"] == 40
        empty = client.post(f"{url}/report/", {"progress": 100, "note": " "}, **bearer(key))
        assert empty.status_code == 400 and empty.json() == {"note": ["请填写办理情况"]}
        done = client.post(f"{url}/report/", {"progress": 100, "note": "已全部完成"}, **bearer(key))
    assert done.status_code == 200, done.content
    assert done.json()["status"] == S.REPORTED and done.json()["progress_note"] == "已全部完成"
    kinds = list(WorkTaskEvent.objects.filter(task=sy_task).values_list("kind", flat=True))
    assert "progress" in kinds and "report" in kinds


def test_anonymous_write_is_401(client, sy_task):
    response = client.post(f"{TASKS}{sy_task.pk}/acknowledge/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_schema_lists_the_plans_endpoints_with_chinese_summaries(client, personas):
    client.force_login(personas.province_admin)
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for p in ("/api/v1/plans/", "/api/v1/goals/", "/api/v1/tasks/", "/api/v1/reports/"):
        assert p in paths, p
    assert paths["/api/v1/tasks/{id}/acknowledge/"]["post"]["summary"] == "签收督办任务"
    assert paths["/api/v1/tasks/{id}/report/"]["post"]["summary"] == "报送进展（反馈）"
