"""Issue 9.2: a cut tail with a replayed head is caught by the anchors exported outside the database."""

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from wenming.audit.models import AuditHead
from wenming.audit.services import verify_chain
from wenming.core import periodic

from .helpers import tamper, write_events

pytestmark = pytest.mark.django_db

T = "audit_auditevent"


@pytest.fixture
def anchors(settings, tmp_path):
    settings.WENMING_AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    settings.WENMING_AUDIT_ANCHOR_MAX_AGE = 30
    return tmp_path / "anchors"


def _verify(capsys) -> tuple[int, str]:
    try:
        call_command("verify_audit")
    except SystemExit as exc:
        return exc.code, capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_the_anchor_jobs_are_scheduled_every_few_minutes():
    jobs = {job.name: job for job in periodic.periodic_jobs()}
    assert jobs["audit.seal"].every == timedelta(minutes=1)
    assert jobs["audit.export_anchor"].every <= timedelta(minutes=5)


def test_cut_tail_with_replayed_head_fails_verify_audit(anchors, capsys, caplog):
    # given two events and a saved copy of the head at that point
    events = write_events(2)
    old = AuditHead.objects.values("last_id", "event_count", "hash", "mac").get()
    # when more events happen and the scheduled anchor job runs (sealing them and exporting the head)
    events += write_events(3, seal=False)
    with caplog.at_level(logging.INFO, logger="wenming.audit.anchor"):
        assert periodic.execute("audit.export_anchor") == periodic.OK
    (path,) = anchors.glob("audit-anchors-*.jsonl")
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["count"] == 5
    assert any(line in r.getMessage() for r in caplog.records)  # the same line goes to the shipped log
    assert _verify(capsys)[0] == 0
    # and someone with owner rights deletes the newest rows and writes the old head back
    tamper(
        (f"DELETE FROM {T} WHERE id > %s", [events[1].id]),
        (
            "UPDATE audit_audithead SET last_id = %s, event_count = %s, hash = %s, mac = %s",
            [old["last_id"], old["event_count"], old["hash"], old["mac"]],
        ),
    )
    # then the database alone looks consistent, but verify_audit compares with the newest anchor and fails
    assert verify_chain() == []
    code, out = _verify(capsys)
    assert code == 1
    assert f"记录 #{events[-1].id}：离线留存的锚点所指记录已不存在：日志被截断或删除" in out
    # and new writes after the cut do not hide it: the anchored position now holds another row
    write_events(3)
    code, out = _verify(capsys)
    assert code == 1 and "与离线留存的锚点不符" in out


def test_verify_audit_fails_when_the_newest_anchor_is_too_old(anchors, capsys):
    write_events(2)
    assert periodic.execute("audit.export_anchor") == periodic.OK
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert _verify(capsys)[0] == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        code, out = _verify(capsys)
    assert code == 1 and "最新离线锚点已 31 分钟未更新（上限 30 分钟）" in out
    # the job running again (even with no new events) makes it fresh
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert periodic.execute("audit.export_anchor") == periodic.OK
        assert _verify(capsys)[0] == 0


def test_verify_audit_fails_when_old_sealed_rows_were_never_anchored(anchors, capsys):
    write_events(1)
    assert _verify(capsys)[0] == 0  # just written: the job has not had its chance yet
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        code, out = _verify(capsys)
    assert code == 1 and "尚无离线锚点" in out


def test_a_forged_anchor_line_is_reported(anchors, capsys):
    write_events(2)
    periodic.execute("audit.export_anchor")
    (path,) = anchors.glob("audit-anchors-*.jsonl")
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    path.write_text(json.dumps({**line, "count": 1}) + "\n", encoding="utf-8")
    code, out = _verify(capsys)
    assert code == 1 and "离线锚点的校验码不正确" in out


def test_production_requires_an_anchor_directory(settings, capsys):
    settings.WENMING_AUDIT_ANCHOR_DIR = ""
    settings.WENMING_PROFILE = "production"
    write_events(1)
    code, out = _verify(capsys)
    assert code == 1 and "未配置离线锚点目录" in out
