"""Goals (以点带面), institutions, statistics, settings and every page renders in Chinese."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.plans.models import Institution, WorkGoal, WorkPlan
from wenming.plans.services import goal_create, goal_transition, institution_create, task_acknowledge, task_report
from wenming.plans.stats import city_stats

from .conftest import at


@pytest.fixture
def plan(org_tree):
    return WorkPlan.objects.create(year=2026, organization=org_tree.province, title="2026年精神文明建设工作要点")


def test_goal_rollout_with_guards(personas, org_tree, plan):
    g = goal_create(
        plan=plan,
        owner=org_tree.shenyang,
        title="网点文明服务提升",
        indicators="有效申诉率",
        target="下降20%",
        by=personas.province_admin,
    )
    city = personas.shenyang_admin
    with pytest.raises(ApplicationError):
        goal_transition(goal_id=g.pk, name="start_pilot", by=city, baseline="申诉率 1.2‰")  # no pilot unit
    goal_transition(
        goal_id=g.pk, name="start_pilot", by=city, pilot_unit_ids=[org_tree.shenyang_outlet.pk], baseline="申诉率 1.2‰"
    )
    with pytest.raises(ApplicationError):
        goal_transition(goal_id=g.pk, name="evaluate", by=city)  # outcome must be recorded
    goal_transition(goal_id=g.pk, name="evaluate", by=city, evidence="试点网点申诉率降至 0.8‰")
    with pytest.raises(PermissionDenied):
        goal_transition(goal_id=g.pk, name="roll_out", by=city)  # the leading-group head decides
    goal_transition(goal_id=g.pk, name="roll_out", by=personas.province_admin)
    with pytest.raises(ApplicationError):
        goal_transition(goal_id=g.pk, name="institutionalise", by=personas.province_admin)  # no rule yet
    inst = institution_create(
        title="网点文明服务规范",
        issuing_org=org_tree.province,
        doc_number="辽邮管〔2026〕12号",
        issued_on=date(2026, 10, 9),
        link="https://example.gov.cn/doc/12",
        goals=[g],
        by=personas.province_admin,
    )
    goal_transition(goal_id=g.pk, name="institutionalise", by=personas.province_admin)
    g.refresh_from_db()
    assert g.status == "institutionalised" and inst in g.institutions.all()
    assert list(g.events.values_list("kind", flat=True)) == [
        "create",
        "start_pilot",
        "evaluate",
        "roll_out",
        "institutionalise",
    ]
    assert AuditEvent.objects.filter(action="decision", object_id=str(g.pk)).count() == 4
    assert not WorkGoal.objects.visible_to(personas.dalian_admin).exists()


def test_institution_needs_file_or_link_and_upload_name(personas, org_tree, client):
    with pytest.raises(ApplicationError):
        institution_create(title="空制度", issuing_org=org_tree.province, by=personas.province_admin)
    client.force_login(personas.province_admin)
    resp = client.post(
        "/plans/institutions/new/",
        {
            "title": "文明窗口考评办法",
            "doc_number": "辽邮管〔2026〕8号",
            "issued_on": "2026-06-01",
            "issuing_org": org_tree.province.pk,
            "file": SimpleUploadedFile("考评办法.pdf", b"%PDF-1.4"),
        },
    )
    assert resp.status_code == 302
    inst = Institution.objects.get()
    assert inst.original_name == "考评办法.pdf" and "考评" not in inst.file.name
    page = client.get("/plans/institutions/").content.decode()
    assert "辽邮管〔2026〕8号" in page
    assert client.get(f"/plans/institutions/{inst.pk}/file/").status_code == 200
    client.force_login(personas.dalian_admin)
    assert "文明窗口考评办法" not in client.get("/plans/institutions/").content.decode()
    assert client.get(f"/plans/institutions/{inst.pk}/file/").status_code == 404


def test_statistics_per_city(personas, org_tree, make_task, client):
    on_time = make_task(due=date(2026, 11, 20), title="按期任务")
    make_task(due=date(2026, 11, 5), title="逾期任务")
    make_task(assignee=org_tree.dalian, due=date(2026, 11, 20), title="大连任务")
    with at(2026, 11, 3):  # 11-02 dispatched, 11-03 is within one working day
        task_acknowledge(task_id=on_time.pk, by=personas.shenyang_admin)
        task_report(task_id=on_time.pk, by=personas.shenyang_admin, progress=100, note="完成")
    with at(2026, 11, 16):
        rows = {r.org.name: r for r in city_stats(user=personas.province_admin, year=2026)}
        sy = rows["沈阳市邮政管理局"]
        assert (sy.tasks, sy.on_time_pct, sy.ack_pct, sy.overdue) == (2, 50.0, 50.0, 1)
        assert rows["大连市邮政管理局"].overdue == 0
        assert [r.org.name for r in city_stats(user=personas.dalian_admin, year=2026)] == ["大连市邮政管理局"]
        client.force_login(personas.province_admin)
        page = client.get("/plans/statistics/?year=2026").content.decode()
        assert "沈阳市邮政管理局" in page and "50.0" in page
        csv = b"".join(client.get("/plans/statistics/?year=2026&export=csv").streaming_content).decode()
        assert "沈阳市邮政管理局,2,50.0,50.0,1" in csv
        client.force_login(personas.dalian_admin)
        csv = b"".join(client.get("/plans/statistics/?year=2026&export=csv").streaming_content).decode()
        assert "沈阳" not in csv


def test_every_page_renders_in_chinese(client, personas, org_tree, plan, make_task):
    task = make_task(due=date(2026, 11, 30), plan=plan)
    goal = goal_create(
        plan=plan, owner=org_tree.shenyang, title="目标一", indicators="指标", target="目标", by=personas.province_admin
    )
    client.force_login(personas.province_admin)
    urls = [
        "/plans/tasks/",
        "/plans/tasks/new/",
        f"/plans/tasks/{task.pk}/",
        f"/plans/tasks/{task.pk}/cancel/",
        f"/plans/dispatches/{task.dispatch_id}/",
        "/plans/annual/",
        "/plans/annual/new/",
        f"/plans/annual/{plan.pk}/",
        f"/plans/annual/{plan.pk}/mode/",
        f"/plans/annual/{plan.pk}/goals/new/",
        f"/plans/goals/{goal.pk}/",
        "/plans/reports/",
        "/plans/bulletins/",
        "/plans/institutions/",
        "/plans/institutions/new/",
        "/plans/statistics/",
        "/plans/settings/",
        "/calendar/",
    ]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        text = resp.content.decode()
        for leftover in (">None<", "Submit", "Save<", ">True<", ">False<"):
            assert leftover not in text, (url, leftover)
    client.force_login(personas.shenyang_admin)
    for url in ("/plans/tasks/", f"/plans/tasks/{task.pk}/", "/plans/reports/", "/plans/reports/new/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/plans/settings/").status_code == 403


def test_cancel_on_confirm_page(client, personas, make_task):
    task = make_task(due=date(2026, 11, 30), title="拟撤销的任务")
    client.force_login(personas.province_admin)
    page = client.get(f"/plans/tasks/{task.pk}/cancel/").content.decode()
    assert "确定撤销《拟撤销的任务》（沈阳市邮政管理局）吗" in page
    resp = client.post(f"/plans/tasks/{task.pk}/cancel/", {"reason": ""})
    assert "理由不能为空" in resp.content.decode()
    client.post(f"/plans/tasks/{task.pk}/cancel/", {"reason": "工作调整"})
    task.refresh_from_db()
    assert task.status == "cancelled"
    assert AuditEvent.objects.filter(action="decision", detail__transition="cancel").exists()
