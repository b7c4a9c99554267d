"""Public pages (verification, vote, results) and staff pages (monitor, anomalies, quarantine, ledger)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.voting import anomalies, engine, identity, otp, services
from wenming.voting.choices import AnomalyKind, PollStatus, QuarantineStatus
from wenming.voting.models import Anomaly, Ballot, OtpChallenge, PollSnapshot, Tally
from wenming.workbench.models import Notification
from wenming.workbench.services import todo_items

from .helpers import drain, running_poll, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path):
    settings.WENMING_SMS_BACKEND = "development"
    settings.WENMING_SMS_OUTBOX = str(tmp_path / "outbox.log")
    return tmp_path / "outbox.log"


def _last_code(outbox) -> str:
    return outbox.read_text().strip().splitlines()[-1].split()[-1]


def _verify(client, poll, outbox, phone="13912345678"):
    url = reverse("public:voting-verify", args=[poll.pk])
    r = client.post(url, {"action": "send", "phone": phone, "consent": "on"})
    assert r.status_code == 200 and "验证码已发送" in r.content.decode()
    r = client.post(url, {"action": "verify", "phone": phone, "code": _last_code(outbox)})
    assert r.status_code == 302
    return r


def test_verify_vote_and_a_second_vote_the_same_day_is_refused(client, org_tree, outbox):
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    page = client.get(reverse("public:voting-poll", args=[poll.pk]))
    assert page.status_code == 200 and "验证手机号后投票" in page.content.decode()
    r = _verify(client, poll, outbox)
    cookie = client.cookies[identity.COOKIE].value
    assert "13912345678" not in cookie  # only the keyed hash travels
    vote_url = reverse("public:voting-vote", args=[poll.pk])
    ok = client.post(vote_url, {"c": [cand.pk], "nonce": "n-1"})
    assert ok.status_code == 200 and "投票成功" in ok.content.decode()
    again = client.post(vote_url, {"c": [cand.pk], "nonce": "n-2"})
    assert again.status_code == 409 and "您今天已经投过票了" in again.content.decode()
    drain(poll)
    ballot = Ballot.objects.get()
    assert ballot.voter_key != "13912345678" and "13912345678" not in str(Ballot.objects.values().get())
    assert engine.recount(poll.pk).ok
    results = client.get(reverse("public:voting-results", args=[poll.pk]))
    assert results.status_code == 200
    board = client.get(reverse("public:voting-board", args=[poll.pk])).json()["online"]
    assert board[str(cand.pk)] == 1 and sum(board.values()) == 1
    assert r.status_code == 302


def test_vote_without_verification_goes_to_the_verification_page(client, org_tree):
    poll = running_poll(org_tree.province)
    r = client.post(reverse("public:voting-vote", args=[poll.pk]), {"c": [poll.candidates.first().pk]})
    assert r.status_code == 302 and reverse("public:voting-verify", args=[poll.pk]) in r["Location"]
    assert not Ballot.objects.exists()


def test_consent_box_is_required_and_unticked(client, org_tree, outbox):
    poll = running_poll(org_tree.province)
    url = reverse("public:voting-verify", args=[poll.pk])
    page = client.get(url).content.decode()
    assert 'name="consent" id="id_consent">' in page  # no "checked"
    r = client.post(url, {"action": "send", "phone": "13912345678"})
    assert r.status_code == 422 and "个人信息处理规则" in r.content.decode()
    assert not outbox.exists()
    client.post(url, {"action": "send", "phone": "13912345678", "consent": "on"})
    assert OtpChallenge.objects.get().consent_version == identity.CONSENT_VERSION


def test_send_limits_per_phone_and_captcha_per_address(org_tree, outbox, monkeypatch):
    send = dict(ip="10.1.2.3", consent=True, consent_version="2026-1", captcha_ok=False)
    otp.send_code(phone_raw="13800000001", **send)
    with pytest.raises(otp.ApplicationError) as exc:
        otp.send_code(phone_raw="13800000001", **send)
    assert exc.value.code == "rate"
    assert len(outbox.read_text().splitlines()) == 1
    monkeypatch.setattr(otp, "IP_CAPTCHA_AFTER", 4)  # refused attempts count against the address too
    otp.send_code(phone_raw="13800000002", **send)
    otp.send_code(phone_raw="13800000003", **send)
    with pytest.raises(otp.ApplicationError) as exc:
        otp.send_code(phone_raw="13800000004", **send)
    assert exc.value.code == "captcha"
    otp.send_code(phone_raw="13800000004", **{**send, "captcha_ok": True})


def test_otp_wrong_code_five_times_locks_the_code(org_tree, outbox):
    otp.send_code(phone_raw="13800000009", ip="10.0.0.9", consent=True, consent_version="2026-1", captcha_ok=False)
    code = _last_code(outbox)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(otp.ApplicationError):
            otp.verify_code(phone_raw="13800000009", code=wrong)
    with pytest.raises(otp.ApplicationError) as exc:
        otp.verify_code(phone_raw="13800000009", code=code)
    assert exc.value.code == "tries"


def test_otp_expires_after_five_minutes(org_tree, outbox):
    otp.send_code(phone_raw="13800000010", ip="10.0.0.10", consent=True, consent_version="2026-1", captcha_ok=False)
    OtpChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(otp.ApplicationError) as exc:
        otp.verify_code(phone_raw="13800000010", code=_last_code(outbox))
    assert exc.value.code == "expired"


def test_sms_fails_closed(org_tree, settings):
    settings.WENMING_SMS_BACKEND = "disabled"
    with pytest.raises(otp.OtpUnavailable):
        otp.send_code(phone_raw="13800000011", ip="10.0.0.11", consent=True, consent_version="2026-1", captcha_ok=False)
    assert not OtpChallenge.objects.exists()


def test_photos_and_story_only_with_consent(client, org_tree):
    poll = running_poll(org_tree.province, candidates=0)
    from wenming.voting.models import Poll

    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.DRAFT)
    poll.refresh_from_db()
    yes = services.candidate_add(by=None, poll=poll, name="王晓东", story="雪夜送件十年无差错", consent=True)
    no = services.candidate_add(by=None, poll=poll, name="李春梅", story="不应公开的事迹", consent=False)
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.SCHEDULED)
    assert "雪夜送件" in client.get(reverse("public:voting-candidate", args=[poll.pk, yes.pk])).content.decode()
    body = client.get(reverse("public:voting-candidate", args=[poll.pk, no.pk])).content.decode()
    assert "不应公开" not in body and "本人同意后公开" in body


def test_recount_command_fails_on_a_mismatch(org_tree, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[cand.pk])
    call_command("vote_recount", "--poll", str(poll.pk))
    Tally.objects.filter(poll=poll, candidate=cand, channel="online").update(votes=5)
    with pytest.raises(CommandError):
        call_command("vote_recount", "--poll", str(poll.pk))


def test_anomaly_alert_and_dual_approval_quarantine(
    org_tree, personas, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WENMING_VOTE_ENGINE = "db"
    monkeypatch.setattr(anomalies, "NET_BURST", 5)
    poll = running_poll(org_tree.province)
    a, b = poll.candidates.values_list("pk", flat=True)[:2]
    farm = engine.Meta(ip="203.0.113.7", net="203.0.113.0/24", ua_hash="u", fingerprint="f1")
    for i in range(6):
        engine.cast(poll_id=poll.pk, voter=voter(100 + i), candidate_ids=[a], meta=farm)
    engine.cast(poll_id=poll.pk, voter=voter(999), candidate_ids=[b])
    with django_capture_on_commit_callbacks(execute=True):
        found = anomalies.scan()
    assert [x.kind for x in found] == [AnomalyKind.NET_BURST]
    assert anomalies.scan() == []  # the same window is not reported twice
    assert Notification.objects.filter(recipient=personas.secadmin).exists()
    assert Notification.objects.filter(recipient=personas.province_admin).exists()
    anomaly = Anomaly.objects.get()
    assert any("待处理的投票异常 1 条" in t.title for t in todo_items(personas.secadmin))
    with pytest.raises(PermissionDenied):
        services.quarantine_propose(anomaly_id=anomaly.pk, reason="同一网段集中投票", by=personas.auditor)
    q = services.quarantine_propose(anomaly_id=anomaly.pk, reason="同一网段集中投票", by=personas.secadmin)
    assert any("待确认的选票隔离 1 项" in t.title for t in todo_items(personas.auditor))
    with pytest.raises(PermissionDenied):
        services.quarantine_approve(quarantine_id=q.pk, by=personas.secadmin)  # not the proposer, not an auditor
    q = services.quarantine_approve(quarantine_id=q.pk, by=personas.auditor)
    assert q.status == QuarantineStatus.APPROVED
    assert Ballot.objects.filter(poll=poll).count() == 7  # set aside, never deleted
    result = engine.recount(poll.pk)
    assert result.ok and result.counted == {b: 1} and result.quarantined == 6
    assert AuditEvent.objects.filter(object_type="voting.Quarantine").count() >= 2


def test_offline_channel_close_snapshot_and_publish(org_tree, personas, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[cand.pk])
    services.offline_add(
        by=personas.province_admin,
        poll=poll,
        candidate=cand,
        kind="newspaper",
        votes=120,
        source="《辽宁日报》第 12 期选票",
        counted_on=timezone.localdate(),
        witnesses="张三、李四",
    )
    counts = engine.live_counts(poll.pk)[cand.pk]
    assert counts == {"online": 1, "offline": 120}
    from wenming.voting.models import Poll

    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.close_due_polls() == [poll.pk]
    snap = PollSnapshot.objects.get(poll=poll)
    assert snap.hash == services.snapshot_hash(snap.data)
    assert snap.data["counts"]["01"] == {"online": 1, "offline": 120}
    assert engine.recount(poll.pk).ok and engine.verify_ledger(poll.pk) == []
    services.poll_publish(poll_id=poll.pk, by=personas.province_admin)


def test_staff_pages_render(client, org_tree, personas, login, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    poll = running_poll(org_tree.province)
    engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[poll.candidates.first().pk])
    login(personas.province_admin)
    for name in ("voting:detail", "voting:anomalies", "voting:ledger", "voting:offline"):
        r = client.get(reverse(name, args=[poll.pk]))
        assert r.status_code == 200, name
    assert client.get(reverse("voting:list")).status_code == 200
    assert client.get(reverse("voting:create")).status_code == 200
    export = client.get(reverse("voting:ledger", args=[poll.pk]) + "?export=csv")
    assert export.status_code == 200
    assert AuditEvent.objects.filter(action="export").exists()


def test_ledger_is_refused_to_an_outsider(client, org_tree, personas, login):
    poll = running_poll(org_tree.shenyang)
    login(personas.dalian_admin)
    assert client.get(reverse("voting:ledger", args=[poll.pk])).status_code in (403, 404)
    assert client.get(reverse("voting:detail", args=[poll.pk])).status_code in (403, 404)


def test_poll_page_critical_path_stays_under_100_kb_with_lazy_images(client, org_tree):
    import re

    from django.contrib.staticfiles import finders

    poll = running_poll(org_tree.province, candidates=12)
    html = client.get(reverse("public:voting-poll", args=[poll.pk])).content
    assets = re.findall(rb'(?:href|src)="/static/([^"?]+)"', html)
    total = len(html) + sum(len(open(finders.find(a.decode()), "rb").read()) for a in assets if not a.endswith(b".svg"))
    assert total <= 100 * 1024, total  # uncompressed; whitenoise serves it compressed
    assert b"<img" not in html or b'loading="lazy"' in html


def test_vote_answer_is_a_stored_page_with_nothing_per_visitor(client, org_tree, settings):
    """The vote's answer is rendered once and reused: same bytes for two voters, no CSRF token, no SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    poll = running_poll(org_tree.province)
    a, b = poll.candidates.all()[:2]
    url = reverse("public:voting-vote", args=[poll.pk])
    # The poll's rules are read once per process (engine._rules_cache); the votes after that read nothing.
    client.cookies[identity.COOKIE] = identity.issue(voter(99))
    assert client.post(url, {"c": [a.pk], "nonce": "answer-0"}).status_code == 200
    bodies = []
    for n, cand in ((1, a), (2, b)):
        client.cookies[identity.COOKIE] = identity.issue(voter(n))
        with CaptureQueriesContext(connection) as queries:
            r = client.post(url, {"c": [cand.pk], "nonce": f"answer-{n}"})
        assert r.status_code == 200 and "投票成功" in r.content.decode()
        if engine.engine() == "redis":
            assert len(queries.captured_queries) == 0, [q["sql"] for q in queries.captured_queries]
        bodies.append(r.content)
    assert bodies[0] == bodies[1]
    assert b"csrfmiddlewaretoken" not in bodies[0] and b"X-CSRFToken" not in bodies[0]
    client.cookies[identity.COOKIE] = identity.issue(voter(1))
    again = client.post(url, {"c": [b.pk], "nonce": "answer-3"})
    assert again.status_code == 409 and "您今天已经投过票了" in again.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(url, {"c": [b.pk], "nonce": "answer-4"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409 and 'lang="en"' in english.content.decode()


def test_the_board_is_built_once_a_second_and_shows_a_vote_within_that(client, org_tree, monkeypatch):
    """V5: the board's JSON is kept per process for BOARD_SECONDS (freshness ≤ 5 s in quality.md)."""
    from wenming.core import memo
    from wenming.voting import views_public

    now = [5000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    url = reverse("public:voting-board", args=[poll.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert first.json()["online"].get(str(cand.pk), 0) == 0
    engine.cast(poll_id=poll.pk, voter=voter(7), candidate_ids=[cand.pk])
    if engine.engine() != "redis":
        drain(poll)
    assert client.get(url).json()["online"].get(str(cand.pk), 0) == 0  # the stored board, within the second
    now[0] += views_public.BOARD_SECONDS + 0.01
    assert client.get(url).json()["online"][str(cand.pk)] == 1


CSRF_SECRET = "leanvotecsrfsecret0123456789abcd"  # 32 characters: a CSRF secret as the cookie holds it


def test_the_vote_on_the_lean_stack_checks_csrf_counts_once_and_keeps_the_headers(lean_client, org_tree):
    """Production serves the vote POST through the lean middleware stack (wenming.web.wsgi): the CSRF
    check, the daily cap, the security headers, the request id and the language are those of every page."""
    poll = running_poll(org_tree.province)
    a, b = poll.candidates.all()[:2]
    url = reverse("public:voting-vote", args=[poll.pk])
    lean_client.cookies[identity.COOKIE] = identity.issue(voter(31))
    refused = lean_client.post(url, {"c": [a.pk], "nonce": "lean-0"})
    assert refused.status_code == 403  # no CSRF pair: nothing counted
    lean_client.cookies["csrftoken"] = CSRF_SECRET
    r = lean_client.post(url, {"c": [a.pk], "nonce": "lean-1", "csrfmiddlewaretoken": CSRF_SECRET})
    assert r.status_code == 200 and "投票成功" in r.content.decode()
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in r["Content-Security-Policy"] and r["X-Request-ID"]
    assert "no-store" in r["Cache-Control"] and r["Content-Language"] == "zh-hans"
    again = lean_client.post(url, {"c": [b.pk], "nonce": "lean-2", "csrfmiddlewaretoken": CSRF_SECRET})
    assert again.status_code == 409 and "您今天已经投过票了" in again.content.decode()
    drain(poll)
    assert list(Ballot.objects.filter(poll=poll).values_list("voter_key", flat=True)) == [voter(31).key]
    assert engine.recount(poll.pk).ok
