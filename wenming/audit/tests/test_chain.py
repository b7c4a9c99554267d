"""AU2: every kind of tampering with the audit log is detected (SQLite and PostgreSQL)."""

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from wenming.audit.guards import guards_suspended, missing_guards
from wenming.audit.models import AuditEvent, AuditHead
from wenming.audit.services import GENESIS, current_head, head_mac, seal_pending, verify_chain, verify_report

from .helpers import tamper, write_events

pytestmark = pytest.mark.django_db

T = "audit_auditevent"


def _texts(problems):
    return [p.problem for p in problems]


def test_clean_chain_verifies_and_head_follows_every_write():
    # given five events
    events = write_events(5)
    # then the chain links from the genesis hash and the head points at the last row
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    head = AuditHead.objects.get()
    assert (head.last_id, head.event_count, head.hash) == (events[-1].id, 5, events[-1].hash)
    report = verify_report()
    assert report.ok and report.checked == 5


def test_triggers_refuse_update_and_delete():
    # given an event
    (ev,) = write_events(1)
    assert missing_guards(connection) == []
    # when the application tries to rewrite or remove it, the database refuses
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(outcome="failure")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"TRUNCATE {T}")
    # then the row is unchanged
    ev2 = AuditEvent.objects.get(pk=ev.pk)
    assert ev2.outcome == "success" and ev2.hash == ev.hash


def test_triggers_allow_only_the_seal_and_only_once():
    # given an unsealed row
    (ev,) = write_events(1, seal=False)
    # its content cannot change, not even together with the seal
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(outcome="failure")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(seq=1, prev_hash=GENESIS, hash="a" * 64, ip="10.0.0.1")
    # a half seal is refused too
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(seq=1)
    # the seal itself is allowed once ...
    assert seal_pending() == 1
    sealed = AuditEvent.objects.get(pk=ev.pk)
    assert sealed.seq == 1 and sealed.prev_hash == GENESIS and sealed.hash
    # ... and never again
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(hash="a" * 64)
    assert AuditEvent.objects.get(pk=ev.pk).hash == sealed.hash and verify_chain() == []


def test_head_cannot_be_deleted_or_moved_back():
    write_events(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.update(event_count=1)
    assert AuditHead.objects.get().event_count == 3


def test_edited_row_is_detected():
    events = write_events(4)
    tamper((f"UPDATE {T} SET object_repr = %s WHERE id = %s", ["改过的对象", events[1].id]))
    problems = verify_chain()
    assert [(p.event_id, p.problem) for p in problems] == [(events[1].id, "内容被篡改：哈希不符")]


def test_edited_row_with_its_hash_rewritten_is_detected():
    # an attacker without the key recomputes the hash with some other key: the row and the link both fail
    events = write_events(4)
    tamper((f"UPDATE {T} SET outcome = %s, hash = %s WHERE id = %s", ["failure", "f" * 64, events[2].id]))
    ids = {p.event_id for p in verify_chain()}
    assert {events[2].id, events[3].id} <= ids


def test_deleted_middle_row_is_detected():
    events = write_events(4)
    tamper((f"DELETE FROM {T} WHERE id = %s", [events[1].id]))
    texts = _texts(verify_chain())
    assert "链接断开：前面的记录被删除、插入或调换了顺序" in texts
    assert any(t.startswith("记录数不符：锚点记载 4 条，实际 3 条") for t in texts)


def test_deleted_last_row_is_detected():
    events = write_events(4)
    tamper((f"DELETE FROM {T} WHERE id = %s", [events[-1].id]))
    problems = verify_chain()
    assert any(p.problem.startswith("日志末尾与锚点不符") and p.event_id == events[-1].id for p in problems)
    assert any(p.problem.startswith("记录数不符") for p in problems)


def test_truncated_tail_is_detected_and_stays_visible_after_new_writes():
    events = write_events(5)
    tamper((f"DELETE FROM {T} WHERE id >= %s", [events[3].id]))
    assert any(t.startswith("日志末尾与锚点不符") for t in _texts(verify_chain()))
    # a later write continues from the anchor, so the gap remains in the chain itself
    write_events(1)
    texts = _texts(verify_chain())
    assert "链接断开：前面的记录被删除、插入或调换了顺序" in texts
    assert any(t.startswith("记录数不符：锚点记载 6 条，实际 4 条") for t in texts)


def test_inserted_row_in_the_middle_is_detected():
    events = write_events(3)
    forged = {
        "at": events[0].at.isoformat(),
        "detail": json.dumps({"i": 99}),
    }
    # make room after the first row (in id and in chain order), then slip in a forged row that links to it
    tamper(
        (f"UPDATE {T} SET id = id + 100, seq = seq + 100 WHERE id > %s", [events[0].id]),
        (
            f"INSERT INTO {T} (id, at, actor_username, ip, action, object_type, object_id, object_repr, outcome, "
            "detail, mac, seq, prev_hash, hash) VALUES (%s, %s, '', '', 'update', 'test.Thing', '99', '伪造', "
            "'success', %s, %s, 2, %s, %s)",
            [events[0].id + 1, forged["at"], forged["detail"], "c" * 64, events[0].hash, "e" * 64],
        ),
    )
    problems = [(p.event_id, p.problem) for p in verify_chain()]
    assert (events[0].id + 1, "内容被篡改：哈希不符") in problems
    assert (events[1].id + 100, "链接断开：前面的记录被删除、插入或调换了顺序") in problems
    assert (events[1].id + 100, "链序号不连续：前面的记录被删除或插入") in problems


def test_forged_row_waiting_for_the_seal_is_detected_and_stays_visible():
    # a row slipped in without the key before the sealing job ran: its MAC fails, sealed or not
    write_events(2)
    tamper(
        (
            f"INSERT INTO {T} (at, actor_username, ip, action, object_type, object_id, object_repr, outcome, "
            "detail) VALUES (%s, 'x', '', 'login', '', '', '', 'success', %s)",
            ["2026-11-27T06:00:00+00:00", "{}"],
        )
    )
    forged = AuditEvent.objects.get(actor_username="x")
    assert [(p.event_id, p.problem) for p in verify_chain()] == [(forged.id, "内容被篡改：哈希不符")]
    seal_pending()
    assert [(p.event_id, p.problem) for p in verify_chain()] == [(forged.id, "内容被篡改：哈希不符")]


def test_row_edited_before_the_seal_is_detected():
    (ev,) = write_events(1, seal=False)
    tamper((f"UPDATE {T} SET object_repr = %s WHERE id = %s", ["改过的对象", ev.id]))
    assert [(p.event_id, p.problem) for p in verify_chain()] == [(ev.id, "内容被篡改：哈希不符")]
    seal_pending()
    assert [(p.event_id, p.problem) for p in verify_chain()] == [(ev.id, "内容被篡改：哈希不符")]


def test_appended_row_is_detected():
    events = write_events(2)
    tamper(
        (
            f"INSERT INTO {T} (at, actor_username, ip, action, object_type, object_id, object_repr, outcome, "
            "detail, mac, seq, prev_hash, hash) VALUES (%s, 'x', '', 'login', '', '', '', 'success', %s, %s, 3, %s, %s)",
            [events[1].at.isoformat(), "{}", "c" * 64, events[1].hash, "d" * 64],
        )
    )
    texts = _texts(verify_chain())
    assert "内容被篡改：哈希不符" in texts
    assert any(t.startswith("记录数不符：锚点记载 2 条，实际 3 条") for t in texts)


def test_swapped_rows_are_detected():
    events = write_events(4)
    a, b = events[1], events[2]
    fields = ("at", "actor_username", "ip", "action", "object_type", "object_id", "object_repr", "outcome")
    fields += ("detail", "mac", "prev_hash", "hash")
    va, vb = ({f: getattr(e, f) for f in fields} for e in (a, b))
    # exchange the contents of the second and third rows (ids stay in place)
    with guards_suspended(connection):
        AuditEvent.objects.filter(pk=b.id).update(hash="tmp")
        AuditEvent.objects.filter(pk=a.id).update(**vb)
        AuditEvent.objects.filter(pk=b.id).update(**va)
    swapped = list(AuditEvent.objects.order_by("id").values_list("object_repr", flat=True))
    assert swapped == ["对象0", "对象2", "对象1", "对象3"]
    problems = verify_chain()
    assert {p.event_id for p in problems if p.problem.startswith("链接断开")} == {a.id, b.id, events[3].id}
    assert not any(p.problem.startswith("内容被篡改") for p in problems)


def test_head_rewritten_without_key_is_detected():
    events = write_events(4)
    # truncate the tail and move the head back to match, but without the key the MAC cannot be made
    tamper(
        (f"DELETE FROM {T} WHERE id = %s", [events[-1].id]),
        (
            "UPDATE audit_audithead SET last_id = %s, event_count = 3, hash = %s",
            [events[2].id, events[2].hash],
        ),
    )
    assert "审计锚点被改动：校验码不符" in _texts(verify_chain())


def test_replayed_old_head_is_caught_by_the_off_host_anchor():
    # given an anchor copied off-host after four events
    events = write_events(2)
    old = AuditHead.objects.values("last_id", "event_count", "hash", "mac").get()
    events += write_events(2)
    anchor = current_head()
    assert anchor["count"] == 4 and anchor["mac"] == head_mac(events[-1].id, 4, events[-1].hash)
    # when someone with owner rights cuts the last two rows and restores the older (valid) head
    tamper(
        (f"DELETE FROM {T} WHERE id > %s", [events[1].id]),
        (
            "UPDATE audit_audithead SET last_id = %s, event_count = %s, hash = %s, mac = %s",
            [old["last_id"], old["event_count"], old["hash"], old["mac"]],
        ),
    )
    # then the database alone looks consistent, but the off-host anchor reveals the cut
    assert verify_chain() == []
    problems = verify_chain(anchors=[anchor])
    assert [(p.event_id, p.problem) for p in problems] == [
        (events[-1].id, "离线留存的锚点所指记录已不存在：日志被截断或删除")
    ]
    forged = {**anchor, "count": 3}
    assert "离线锚点的校验码不正确（锚点文件被改动或密钥不符）" in _texts(verify_chain(anchors=[forged]))


def test_verify_audit_command_reports_in_chinese_and_exits_non_zero(capsys, tmp_path):
    write_events(3)
    call_command("audit_head")
    line = capsys.readouterr().out.strip()
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text(line + "\n", encoding="utf-8")
    call_command("verify_audit", anchors=str(anchors))
    out = capsys.readouterr().out
    assert "已校验审计记录 3 条，离线锚点 1 个" in out and "审计日志完整" in out
    # when a row is edited
    first = AuditEvent.objects.order_by("id").first()
    tamper((f"UPDATE {T} SET ip = %s WHERE id = %s", ["10.0.0.9", first.id]))
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert f"记录 #{first.id}：内容被篡改：哈希不符" in out and "发现 1 个问题" in out


def test_verify_audit_reports_missing_triggers(capsys):
    write_events(1)
    with guards_suspended(connection):
        assert len(missing_guards(connection)) >= 2
        with pytest.raises(SystemExit):
            call_command("verify_audit")
    assert "防篡改触发器缺失或被停用" in capsys.readouterr().out
    assert missing_guards(connection) == []
