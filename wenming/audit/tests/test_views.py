"""AU4: only the audit administrator reads the log; every read is itself audited."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from wenming.audit.models import AuditAction, AuditEvent
from wenming.audit.services import audit_record
from wenming.workbench.menu import menu_for

from .helpers import tamper, write_events

pytestmark = pytest.mark.django_db

OTHER_PERSONAS = [
    "province_admin",
    "shenyang_admin",
    "shenyang_staff",
    "dalian_admin",
    "shenyang_enterprise",
    "shenyang_outlet",
    "expert",
    "sysadmin",
    "secadmin",
    "nobody",
]


def _urls(ev_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("audit:list")),
        ("get", reverse("audit:detail", args=[ev_id])),
        ("get", reverse("audit:export")),
        ("get", reverse("audit:verify")),
        ("post", reverse("audit:verify")),
    ]


@pytest.mark.parametrize("who", OTHER_PERSONAS)
def test_every_other_role_is_refused_and_the_attempt_recorded(client, personas, who):
    (ev,) = write_events(1)
    user = getattr(personas, who)
    client.force_login(user)
    for method, url in _urls(ev.pk):
        resp = getattr(client, method)(url)
        assert resp.status_code == 403, (who, url)
        assert "对象0" not in resp.content.decode()
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=user)
    assert denied.count() == 5 and set(denied.values_list("outcome", flat=True)) == {"denied"}
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_READ).exists()
    labels = [item["label"] for item in menu_for(user, "/")]
    assert "安全审计" not in labels


def test_anonymous_is_sent_to_login(client, db):
    resp = client.get(reverse("audit:list"))
    assert resp.status_code == 302 and reverse("accounts:login") in resp["Location"]


def test_auditor_lists_the_log_in_beijing_time_and_the_read_is_audited(client, personas):
    with time_machine.travel(datetime(2026, 11, 27, 6, 8, 5, tzinfo=UTC), tick=False):
        audit_record(AuditAction.ROLE_GRANT, user=personas.secadmin, object_type="accounts.User", object_repr="张三")
    client.force_login(personas.auditor)
    resp = client.get(reverse("audit:list"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "2026-11-27 14:08:05" in body and "授予角色" in body and "张三" in body and "✓ 成功" in body
    read = AuditEvent.objects.filter(action=AuditAction.AUDIT_READ).get()
    assert read.actor == personas.auditor and read.detail["view"] == "list"
    labels = [item["label"] for item in menu_for(personas.auditor, "/")]
    assert "安全审计" in labels


def test_filters_pagination_and_errors(client, personas):
    write_events(25)
    audit_record(AuditAction.LOGIN_FAILED, outcome="failure", object_type="accounts.User", object_repr="李四")
    with time_machine.travel(datetime(2025, 1, 2, 3, 0, tzinfo=UTC), tick=False):
        audit_record(AuditAction.UNLOCK, user=personas.secadmin, object_repr="王五")
    client.force_login(personas.auditor)
    url = reverse("audit:list")
    # pagination: 27 events + this read = 28 → two pages
    body = client.get(url).content.decode()
    assert "共 28 条" in body and "?page=2" in body
    # action + outcome
    body = client.get(url, {"action": "login_failed", "outcome": "failure"}).content.decode()
    assert "共 1 条" in body and "李四" in body and "✗ 失败" in body
    # user
    body = client.get(url, {"user": "sec"}).content.decode()
    assert "共 1 条" in body and "王五" in body
    # time range (whole Beijing days) and object
    body = client.get(url, {"start": "2025-01-02", "end": "2025-01-02"}).content.decode()
    assert "共 1 条" in body and "王五" in body and 'value="2025-01-02"' in body
    body = client.get(url, {"obj": "对象24"}).content.decode()
    assert "共 1 条" in body
    body = client.get(url, {"obj": "没有这个对象"}).content.decode()
    assert "没有符合条件的记录" in body
    # invalid input: field-level Chinese messages, values kept
    body = client.get(url, {"start": "2025-13-01", "end": "2024-01-01", "user": "sec"}).content.decode()
    assert "请输入正确的日期，例如 2026-11-27" in body and 'value="sec"' in body
    body = client.get(url, {"start": "2025-02-01", "end": "2025-01-01"}).content.decode()
    assert "结束日期不能早于开始日期" in body
    reads = AuditEvent.objects.filter(action=AuditAction.AUDIT_READ, actor=personas.auditor)
    assert reads.count() == 8
    assert reads.filter(detail__filters__action="login_failed").count() == 1


def test_detail_shows_hash_state_and_is_audited(client, personas):
    events = write_events(2)
    client.force_login(personas.auditor)
    resp = client.get(reverse("audit:detail", args=[events[1].pk]))
    body = resp.content.decode()
    assert resp.status_code == 200 and events[1].hash in body and "✓ 与内容一致" in body
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_READ, object_id=str(events[1].pk)).count() == 1
    tamper(("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["篡改", events[1].pk]))
    assert "✗ 与内容不符" in client.get(reverse("audit:detail", args=[events[1].pk])).content.decode()
    assert client.get(reverse("audit:detail", args=[999999])).status_code == 404


def test_export_streams_filtered_csv_and_is_audited(client, personas):
    write_events(3)
    audit_record(AuditAction.LOGIN_FAILED, outcome="failure", object_repr='=HYPERLINK("http://x")')
    client.force_login(personas.auditor)
    resp = client.get(reverse("audit:export"), {"outcome": "failure"})
    assert resp.status_code == 200 and resp.streaming
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["序号", "时间（UTC+08:00）", "用户"]
    assert len(rows) == 2 and rows[1][4] == "登录失败" and rows[1][8] == "失败"
    assert rows[1][7] == '\'=HYPERLINK("http://x")'
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == personas.auditor and export.detail["filters"] == {"outcome": "failure"}


def test_verify_page_runs_the_check_and_is_audited(client, personas):
    events = write_events(3)
    client.force_login(personas.auditor)
    assert "开始校验" in client.get(reverse("audit:verify")).content.decode()
    body = client.post(reverse("audit:verify")).content.decode()
    # the head shown is the one just verified (the three events; this check's own row is sealed later)
    assert "✓ 完整，未发现篡改" in body and "已校验记录" in body and "&quot;count&quot;: 3" in body
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk]))
    body = client.post(reverse("audit:verify")).content.decode()
    assert "✗ 发现" in body and "链接断开" in body and f"记录 #{events[2].pk}" in body
    verifies = AuditEvent.objects.filter(action=AuditAction.AUDIT_READ, detail__view="verify")
    assert verifies.count() == 2
