"""督办 end to end: buttons, 签收 tracking, scope, traffic lights, extensions, digests, escalation."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.audit.models import AuditEvent
from wenming.plans.choices import TrafficLight, WorkTaskStatus
from wenming.plans.models import SupervisionSettings, WorkPlan, WorkTask
from wenming.plans.selectors import effective_progress, task_light
from wenming.plans.services import (
    dispatch_create,
    extension_decide,
    extension_request,
    plan_set_progress_mode,
    task_acknowledge,
    task_report,
    task_update_progress,
)
from wenming.plans.supervision import digests_send, tasks_escalate
from wenming.workbench.models import Notification

from .conftest import at

S = WorkTaskStatus


@pytest.mark.django_db(transaction=True)  # notifications are written at commit
def test_main_flow_by_buttons(client, personas, org_tree, colleagues):
    p = personas
    with at(2026, 11, 2):
        client.force_login(p.province_admin)
        page = client.get("/plans/tasks/new/").content.decode()
        assert "新增督办事项" in page
        resp = client.post(
            "/plans/tasks/new/",
            {
                "issuer": org_tree.province.pk,
                "title": "推进文明窗口创建",
                "content": "各市局按方案推进",
                "due_date": "2026-11-20",
                "assignees": [org_tree.shenyang.pk, org_tree.dalian.pk],
                "files": [SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
            },
        )
        assert resp.status_code == 302, resp.content.decode()[:2000]
        detail = resp["Location"]
        # two-person rule: the drafter is told why there is no 审核通过 button, and a POST is refused
        page = client.get(detail).content.decode()
        assert 'value="approve"' not in page and 'data-testid="two-person"' in page
        assert client.post(detail, {"action": "approve"}).status_code == 403
        client.force_login(colleagues.province)
        assert 'value="approve"' in client.get(detail).content.decode()
        client.post(detail, {"action": "approve"})
        client.force_login(p.province_admin)
        page = client.get(detail).content.decode()
        assert "下发" in page
        client.post(detail, {"action": "send"})
        task = WorkTask.objects.get(assignee=org_tree.shenyang)
        assert task.status == S.DISPATCHED and task.dispatched_at
        assert Notification.objects.filter(recipient=p.shenyang_admin, title__contains="请签收").count() == 1
        assert "未签收" in client.get(detail).content.decode()

    with at(2026, 11, 3):
        client.force_login(p.shenyang_admin)
        page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
        assert "签收" in page and "方案.pdf" in page
        task.refresh_from_db()
        assert task.first_viewed_by == p.shenyang_admin and task.acknowledged_at is None
        client.post(f"/plans/tasks/{task.pk}/acknowledge/")
        task.refresh_from_db()
        assert task.status == S.IN_PROGRESS and task.acknowledged_by == p.shenyang_admin
        page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
        assert "报送进展" in page and "申请延期" in page
        client.post(f"/plans/tasks/{task.pk}/report/", {"progress": "100", "note": "已完成创建"})
        task.refresh_from_db()
        assert task.status == S.REPORTED

    with at(2026, 11, 4):
        client.force_login(p.province_admin)
        page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
        assert "办结" in page and "退回" in page
        # the dispatcher's own view is not the assignee's first view
        client.post(f"/plans/tasks/{task.pk}/return/", {"reason": "佐证材料不全"})
        task.refresh_from_db()
        assert task.status == S.IN_PROGRESS and task.returned
        assert AuditEvent.objects.filter(
            action="decision", object_id=str(task.pk), detail__transition="return"
        ).exists()
        assert task_light(task) == TrafficLight.YELLOW  # returned

        client.force_login(p.shenyang_admin)
        client.post(f"/plans/tasks/{task.pk}/report/", {"progress": "100", "note": "补充了材料"})
        client.force_login(p.province_admin)
        client.post(f"/plans/tasks/{task.pk}/close/", {"comment": "同意办结"})
        task.refresh_from_db()
        assert task.status == S.CLOSED and task.closed_at
        kinds = list(task.events.values_list("kind", flat=True))
        assert kinds == ["create", "approve", "dispatch", "view", "acknowledge", "report", "return", "report", "close"]
        page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
        assert "签收" in page and "办结" in page and "处理记录" in page


def test_dalian_never_sees_shenyang_task(client, personas, org_tree, make_task):
    task = make_task(due=date(2026, 11, 30), title="沈阳专项任务")
    dl = make_task(assignee=org_tree.dalian, due=date(2026, 11, 30), title="大连专项任务")
    client.force_login(personas.dalian_admin)
    page = client.get("/plans/tasks/").content.decode()
    assert "大连专项任务" in page and "沈阳专项任务" not in page
    assert client.get(f"/plans/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/plans/tasks/{task.pk}/acknowledge/").status_code == 404
    assert client.get(f"/plans/dispatches/{task.dispatch_id}/").status_code == 404
    csv = b"".join(client.get("/plans/tasks/?export=csv").streaming_content).decode()
    assert "大连专项任务" in csv and "沈阳专项任务" not in csv
    assert client.get(f"/plans/tasks/{dl.pk}/").status_code == 200


def test_assignee_does_not_see_drafts(client, personas, org_tree, make_task):
    task = make_task(due=date(2026, 11, 30), send=False, title="尚未下发的草稿")
    client.force_login(personas.shenyang_admin)
    assert client.get(f"/plans/tasks/{task.pk}/").status_code == 404
    assert "尚未下发的草稿" not in client.get("/plans/tasks/").content.decode()
    client.force_login(personas.province_admin)
    assert "尚未下发的草稿" in client.get("/plans/tasks/").content.decode()


def test_visible_but_not_allowed_is_403_or_refused(client, personas, make_task):
    task = make_task(due=date(2026, 11, 30))
    client.force_login(personas.shenyang_staff)
    assert client.get(f"/plans/tasks/{task.pk}/cancel/").status_code == 403
    with at(2026, 11, 3):
        client.post(f"/plans/tasks/{task.pk}/close/", {"comment": "x"})
    task.refresh_from_db()
    assert task.status == S.DISPATCHED


def test_traffic_light_edges_with_make_up_days(personas, make_task):
    # due Wednesday 2026-10-14; dispatched 2026-09-01
    task = make_task(due=date(2026, 10, 14), on=date(2026, 9, 1))
    with at(2026, 9, 2):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        task_update_progress(task_id=task.pk, by=personas.shenyang_admin, progress=90, note="推进中")
    task.refresh_from_db()
    # Fri 10-09 → Wed 10-14: Sat 10-10 (make-up), Mon 12, Tue 13, Wed 14 = 4 working days → not yet 临期
    with at(2026, 10, 9):
        assert task_light(task) == TrafficLight.GREEN
    # Sat 10-10 is a working day: 3 left → 临期
    with at(2026, 10, 10):
        assert task_light(task) == TrafficLight.BLUE
    with at(2026, 10, 14, 23):
        assert task_light(task) == TrafficLight.BLUE  # due today is not overdue
    with at(2026, 10, 15, 0):
        assert task_light(task) == TrafficLight.RED


def test_traffic_light_over_national_day_week(personas, make_task):
    task = make_task(due=date(2026, 10, 14), on=date(2026, 9, 1))
    with at(2026, 9, 2):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        task_update_progress(task_id=task.pk, by=personas.shenyang_admin, progress=95, note="推进中")
    task.refresh_from_db()
    # 9-30 → 10-14: only 10-08, 09, 10, 12, 13, 14 are working days (6) → green, although 14 calendar days
    with at(2026, 9, 30):
        assert task_light(task) == TrafficLight.GREEN


def test_behind_schedule_is_yellow(personas, make_task):
    task = make_task(due=date(2026, 11, 30), on=date(2026, 11, 2))  # 20 working days
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
    task.refresh_from_db()
    # 11-16: 10 of 20 working days elapsed = 50 %; 29 % < 30 → 滞后; 30 % is exactly on the edge → 正常
    with at(2026, 11, 16):
        task.progress_manual = 29
        assert task_light(task) == TrafficLight.YELLOW
        task.progress_manual = 30
        assert task_light(task) == TrafficLight.GREEN


def test_extension_keeps_original_due_date(client, personas, org_tree, make_task):
    task = make_task(due=date(2026, 11, 20))
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        client.force_login(personas.shenyang_admin)
        client.post(f"/plans/tasks/{task.pk}/extension/", {"new_due_date": "2026-12-10", "reason": "需协调企业"})
        assert task.extensions.get().status == "pending"
        client.force_login(personas.province_admin)
        page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
        assert "批准" in page and "延期待批" in page
        client.post(f"/plans/tasks/{task.pk}/ext-approve/", {"comment": "同意"})
    task.refresh_from_db()
    assert task.due_date == date(2026, 12, 10)
    assert task.original_due_date == date(2026, 11, 20)
    assert AuditEvent.objects.filter(action="decision", detail__transition="extension_approve").exists()
    assert task.events.filter(kind="extension_approve").exists()
    with at(2026, 11, 25):
        assert task_light(task) != TrafficLight.RED  # the light follows the moved date
        from wenming.plans.selectors import original_due_on_time

        assert original_due_on_time(task) is False  # the ranking keeps the original date


def test_extension_refusal_needs_reason_and_after_due_is_refused(personas, make_task):
    from wenming.core.errors import ApplicationError

    task = make_task(due=date(2026, 11, 20))
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        ext = extension_request(
            task_id=task.pk, by=personas.shenyang_admin, new_due_date=date(2026, 12, 1), reason="人手不足"
        )
        with pytest.raises(ApplicationError):
            extension_decide(extension_id=ext.pk, by=personas.province_admin, approve=False, comment="")
        extension_decide(extension_id=ext.pk, by=personas.province_admin, approve=False, comment="不宜延期")
    task.refresh_from_db()
    assert task.due_date == date(2026, 11, 20)
    with at(2026, 11, 23), pytest.raises(ApplicationError):
        extension_request(task_id=task.pk, by=personas.shenyang_admin, new_due_date=date(2026, 12, 1), reason="再申请")


@pytest.mark.django_db(transaction=True)  # notifications are written at commit
def test_digest_once_per_day_and_only_when_there_is_something(personas, org_tree, make_task):
    make_task(due=date(2026, 11, 10))
    with at(2026, 11, 16, 7):
        digests_send()
        digests_send()  # the same day again
    overdue_digests = Notification.objects.filter(recipient=personas.shenyang_admin, title__contains="待办提醒")
    assert overdue_digests.count() == 1
    assert "已逾期" in overdue_digests.get().body
    assert not Notification.objects.filter(recipient=personas.dalian_admin, title__contains="待办提醒").exists()
    with at(2026, 11, 17, 7):
        digests_send()
    assert overdue_digests.count() == 2


@pytest.mark.django_db(transaction=True)  # notifications are written at commit
def test_digest_task_and_command(personas, make_task):
    from django.core.management import call_command

    make_task(due=date(2026, 11, 10))
    with at(2026, 11, 16, 7):
        call_command("send_digests")  # enqueues; the test backend runs it at once
        call_command("send_digests", "--now")
    assert Notification.objects.filter(recipient=personas.shenyang_admin, title__contains="待办提醒").count() == 1


@pytest.mark.django_db(transaction=True)  # notifications are written at commit
def test_escalation_once(personas, org_tree, make_task):
    task = make_task(due=date(2026, 11, 5), on=date(2026, 11, 2))
    with at(2026, 11, 12):
        assert tasks_escalate() == 0  # overdue but not idle for 14 working days yet
    with at(2026, 11, 24):  # 14 working days after 11-02 is 11-20
        assert tasks_escalate() == 1
        assert tasks_escalate() == 0
    heads = Notification.objects.filter(recipient=personas.province_admin, title__contains="无进展")
    assert heads.count() == 1
    assert not Notification.objects.filter(recipient=personas.shenyang_admin, title__contains="无进展").exists()
    task.refresh_from_db()
    assert task.escalated_at and task.events.filter(kind="escalate").count() == 1


def test_rollup_progress_and_mode_switch_keeps_manual_values(client, personas, org_tree, colleagues):
    with at(2026, 11, 2):
        plan = WorkPlan.objects.create(year=2026, organization=org_tree.province, title="2026年工作方案")
        d = dispatch_create(
            issuer=org_tree.province,
            title="推进网点文明服务",
            content="分解到企业",
            due_date=date(2026, 11, 30),
            assignees=[org_tree.shenyang],
            plan=plan,
            by=colleagues.province,
        )
        from wenming.plans.services import dispatch_approve, dispatch_send

        dispatch_approve(dispatch_id=d.pk, by=personas.province_admin)
        dispatch_send(dispatch_id=d.pk, by=personas.province_admin)
        parent = d.tasks.get()
        task_acknowledge(task_id=parent.pk, by=personas.shenyang_admin)
        task_update_progress(task_id=parent.pk, by=personas.shenyang_admin, progress=10, note="刚开始")
        sub = dispatch_create(
            issuer=org_tree.shenyang,
            title="推进网点文明服务",
            content="企业落实",
            due_date=date(2026, 11, 25),
            assignees=[org_tree.shenyang_enterprise],
            parent_task=parent,
            by=personas.shenyang_admin,
        )
        dispatch_approve(dispatch_id=sub.pk, by=colleagues.shenyang)
        dispatch_send(dispatch_id=sub.pk, by=personas.shenyang_admin)
        child = sub.tasks.get()
        task_acknowledge(task_id=child.pk, by=personas.shenyang_enterprise)
        task_update_progress(task_id=child.pk, by=personas.shenyang_enterprise, progress=70, note="过半")
    parent.refresh_from_db()
    assert effective_progress(parent) == 10
    client.force_login(personas.province_admin)
    page = client.get(f"/plans/annual/{plan.pk}/mode/").content.decode()
    assert "10" in page and "70" in page and "不会被覆盖" in page
    client.post(f"/plans/annual/{plan.pk}/mode/", {"mode": "rollup"})
    parent.refresh_from_db()
    assert effective_progress(parent) == 70
    assert parent.progress_manual == 10  # stored untouched
    plan_set_progress_mode(plan_id=plan.pk, mode="manual", by=personas.province_admin)
    parent.refresh_from_db()
    assert effective_progress(parent) == 10


def test_attachment_limits_and_server_names(personas, make_task):
    from wenming.core.errors import ApplicationError

    task = make_task(due=date(2026, 11, 30))
    cfg = SupervisionSettings.current()
    cfg.attachment_max_mb = 1
    cfg.save()
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        big = SimpleUploadedFile("大文件.pdf", b"x" * (1024 * 1024 + 1))
        with pytest.raises(ApplicationError):
            task_report(task_id=task.pk, by=personas.shenyang_admin, progress=100, note="完成", uploads=[big])
        bad = SimpleUploadedFile("脚本.exe", b"MZ")
        with pytest.raises(ApplicationError):
            task_report(task_id=task.pk, by=personas.shenyang_admin, progress=100, note="完成", uploads=[bad])
        ok = SimpleUploadedFile("../../佐证 材料.pdf", b"%PDF-1.4")
        task_report(task_id=task.pk, by=personas.shenyang_admin, progress=100, note="完成", uploads=[ok])
    att = task.attachments.get()
    assert att.original_name == "佐证 材料.pdf"
    assert "佐证" not in att.file.name and ".." not in att.file.name and att.file.name.endswith(".pdf")


def test_attachment_download_respects_scope(client, personas, make_task):
    task = make_task(due=date(2026, 11, 30))
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        task_report(
            task_id=task.pk,
            by=personas.shenyang_admin,
            progress=100,
            note="完成",
            uploads=[SimpleUploadedFile("佐证.pdf", b"%PDF-1.4")],
        )
    att = task.attachments.get()
    client.force_login(personas.dalian_admin)
    assert client.get(f"/plans/files/{att.pk}/").status_code == 404
    client.force_login(personas.province_admin)
    resp = client.get(f"/plans/files/{att.pk}/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == b"%PDF-1.4"
    assert AuditEvent.objects.filter(action="download", object_id=str(att.pk)).exists()


def test_todo_panel(client, personas, make_task):
    from wenming.workbench.services import todo_items

    make_task(due=date(2026, 11, 30), title="待签收的任务")
    make_task(due=date(2026, 11, 5), title="早已逾期的任务")
    with at(2026, 11, 16):
        items = todo_items(personas.shenyang_admin)
    cats = {(i.category, i.title) for i in items}
    assert ("待签收", "《待签收的任务》") in cats
    assert ("已逾期", "《早已逾期的任务》") in cats
    assert not [i for i in todo_items(personas.dalian_admin) if "任务" in i.title]


def test_task_list_filters_and_export(client, personas, org_tree, make_task):
    make_task(due=date(2026, 11, 5), title="逾期任务甲")
    make_task(due=date(2026, 12, 30), title="正常任务乙")
    client.force_login(personas.province_admin)
    with at(2026, 11, 16):
        page = client.get("/plans/tasks/?light=red").content.decode()
        assert "逾期任务甲" in page and "正常任务乙" not in page and "已逾期" in page
        csv = b"".join(client.get("/plans/tasks/?light=red&export=csv").streaming_content).decode()
        assert "逾期任务甲" in csv and "正常任务乙" not in csv
        page = client.get("/plans/tasks/?q=不存在的").content.decode()
        assert "没有符合条件的记录" in page
