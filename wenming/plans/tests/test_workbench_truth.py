"""The workbench tells the truth (issue 10, item 5): each counter equals the row count of the list it
opens, lights are the one ``task_light``, review items past their deadline are not "正常", a notice carries
its category once; tabs 待办 / 已办 / 我发起的."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from wenming.plans.choices import ProgressReportStatus, ReportKind
from wenming.plans.models import ProgressReport
from wenming.plans.services import task_acknowledge, task_report, task_update_progress
from wenming.workbench.services import notify

from .conftest import at

pytestmark = pytest.mark.django_db

COUNTER = re.compile(
    r'<a class="stat[^"]*" href="([^"]+)" data-counter="(\w+)">\s*<div class="stat-label">[^<]*</div><div class="stat-value">([\d,]+)</div>'
)
TOTAL = re.compile(r"共 ([\d,]+) 条")


def counters(client) -> dict[str, tuple[str, int]]:
    page = client.get(reverse("workbench:home")).content.decode()
    return {key: (url.replace("&amp;", "&"), int(n.replace(",", ""))) for url, key, n in COUNTER.findall(page)}


def rows_of(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    m = TOTAL.search(page.content.decode())
    return int(m.group(1).replace(",", "")) if m else 0


@pytest.fixture
def busy_province(make_task, personas, org_tree):
    """Overdue, due-soon, on-track and reported tasks, a late report waiting for review, work done."""
    t_over_sy = make_task(due=date(2026, 11, 10), title="逾期未办的任务")
    make_task(due=date(2026, 11, 12), assignee=org_tree.dalian, title="大连逾期的任务")
    soon = make_task(due=date(2026, 11, 26), title="临期任务")
    make_task(due=date(2026, 12, 30), title="正常推进的任务")
    reported = make_task(due=date(2026, 11, 30), title="已反馈的任务")
    with at(2026, 11, 5):
        task_acknowledge(task_id=t_over_sy.pk, by=personas.shenyang_admin)
        task_acknowledge(task_id=reported.pk, by=personas.shenyang_admin)
        task_report(task_id=reported.pk, by=personas.shenyang_admin, progress=100, note="已完成")
        task_acknowledge(task_id=soon.pk, by=personas.shenyang_admin)
        task_update_progress(task_id=soon.pk, by=personas.shenyang_admin, progress=90, note="基本完成")
    ProgressReport.objects.create(
        organization=org_tree.shenyang,
        kind=ReportKind.MONTHLY,
        year=2026,
        period=10,
        title="沈阳市邮政管理局10月工作进展",
        due_date=date(2026, 11, 5),
        summary="按月报送。",
        status=ProgressReportStatus.SUBMITTED,
        created_by=personas.shenyang_admin,
    )
    return org_tree


@pytest.mark.parametrize(
    "who", ["province_admin", "shenyang_admin", "shenyang_enterprise", "shenyang_outlet", "expert"]
)
def test_every_counter_equals_the_rows_of_the_list_it_opens(client, personas, busy_province, who):
    client.force_login(getattr(personas, who))
    with at(2026, 11, 24):
        found = counters(client)
        assert "todo" in found and "done_month" in found
        for key, (url, n) in found.items():
            assert rows_of(client, url) == n, (who, key, url)
    if who == "expert":
        assert set(found) == {"todo", "done_month"}  # no task counters for a reviewer without task scope
    else:
        assert {"due_soon", "overdue"} <= set(found)


def test_province_sees_every_overdue_task_it_supervises(client, personas, busy_province):
    client.force_login(personas.province_admin)
    with at(2026, 11, 24):
        found = counters(client)
        assert found["overdue"][1] == 2  # Shenyang's and Dalian's, as 督办统计 counts them
        stats = client.get(reverse("plans:statistics"), {"year": 2026}).content.decode()
    assert found["overdue"][0].endswith("?light=red")
    assert "大连逾期的任务" not in stats  # statistics show numbers per city, the list shows the tasks
    assert found["due_soon"][1] == 1


def test_review_item_past_its_deadline_is_not_shown_as_normal(client, personas, busy_province):
    client.force_login(personas.province_admin)
    with at(2026, 11, 24):
        page = client.get(reverse("workbench:home")).content.decode()
    row = next(r for r in page.split("<tr>") if "沈阳市邮政管理局10月工作进展" in r)
    assert "已逾期" in row and "正常" not in row
    ok_row = next(r for r in page.split("<tr>") if "已反馈的任务" in r)  # reported in time
    assert "正常" in ok_row


def test_tabs_done_and_started(client, personas, busy_province, colleagues):
    client.force_login(personas.shenyang_admin)
    with at(2026, 11, 24):
        done = client.get(reverse("workbench:home"), {"tab": "done"}).content.decode()
        assert "已反馈的任务" in done and "逾期未办的任务" in done
        started = client.get(reverse("workbench:home"), {"tab": "started"}).content.decode()
        assert "暂无发起的事项" in started
    client.force_login(colleagues.province)  # drafted every dispatch of the fixture
    with at(2026, 11, 24):
        started = client.get(reverse("workbench:home"), {"tab": "started"}).content.decode()
        assert "临期任务" in started and 'aria-selected="true" class="active">我发起的' in started


def test_a_notice_shows_its_category_once(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=personas.shenyang_admin,
            title="《关于开展文明窗口创建的通知》将于 2026-11-30 到期",
            category="督办",
        )
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("workbench:home")).content.decode()
    assert page.count("[督办]") == 1 and "[督办] [督办]" not in page
