"""Login-log retention (≥ 180 days) and the clean-up of spent throttle and session rows."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from wenming.accounts.checks import login_log_retention_check
from wenming.accounts.models import LoginRecord, LoginThrottle, UserSession
from wenming.accounts.services import login_records_purge
from wenming.audit.models import AuditEvent


def _record(username, days_ago, now):
    return LoginRecord.objects.create(username=username, outcome="failure", at=now - timedelta(days=days_ago))


@pytest.mark.django_db
def test_purge_keeps_recent_and_deletes_old_login_records(personas):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        kept = [_record("recent", 179, now), _record("edge", 364, now)]
        _record("old", 366, now)
        _record("older", 800, now)
        counts = login_records_purge()
    assert counts["login_records"] == 2
    assert set(LoginRecord.objects.values_list("pk", flat=True)) == {r.pk for r in kept}
    event = AuditEvent.objects.get(action="delete", detail__op="retention_purge")
    assert event.detail["login_records"] == 2 and event.detail["retention_days"] == 365


@pytest.mark.django_db
@override_settings(WENMING_LOGIN_LOG_RETENTION=timedelta(days=180))
def test_purge_at_the_minimum_keeps_179_days(personas):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        _record("recent", 179, now)
        _record("old", 181, now)
        call_command("purge_login_records", stdout=io.StringIO())
    assert list(LoginRecord.objects.values_list("username", flat=True)) == ["recent"]


@pytest.mark.django_db
@override_settings(WENMING_LOGIN_LOG_RETENTION=timedelta(days=100))
def test_retention_below_180_days_is_refused(personas):
    now = timezone.now()
    _record("old", 150, now)
    with pytest.raises(ImproperlyConfigured, match="180"):
        login_records_purge()
    with pytest.raises(CommandError, match="180"):
        call_command("purge_login_records")
    assert [e.id for e in login_log_retention_check()] == ["wenming.accounts.E001"]
    assert LoginRecord.objects.count() == 1
    assert not AuditEvent.objects.filter(detail__op="retention_purge").exists()


@pytest.mark.django_db
def test_purge_removes_spent_throttles_and_dead_session_rows(personas, capsys):
    now = timezone.now()
    user = personas.shenyang_staff
    with time_machine.travel(now, tick=False):
        LoginThrottle.objects.create(username="spent", failures=2, window_started_at=now - timedelta(minutes=16))
        LoginThrottle.objects.create(username="reset")
        LoginThrottle.objects.create(username="counting", failures=2, window_started_at=now - timedelta(minutes=5))
        LoginThrottle.objects.create(username="locked", locked_until=now + timedelta(minutes=10))
        live = SessionStore()
        live.create()
        expired = SessionStore()
        expired.set_expiry(now - timedelta(seconds=1))
        expired.create()
        UserSession.objects.create(user=user, session_key=live.session_key)
        UserSession.objects.create(user=user, session_key=expired.session_key)
        UserSession.objects.create(user=user, session_key="gone0000000000000000000000000000")
        call_command("purge_login_records")
    out = capsys.readouterr().out
    assert "账号限流记录 2 条" in out and "失效会话记录 2 条" in out
    assert "地址限流" not in out  # address counters expire in the rate limiter by themselves
    assert set(LoginThrottle.objects.values_list("username", flat=True)) == {"counting", "locked"}
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.django_db
def test_purge_is_a_daily_periodic_job_at_three(personas):
    from datetime import time

    from wenming.core.periodic import OK, execute, periodic_jobs

    job = {j.name: j for j in periodic_jobs()}["accounts.purge_login_records"]
    assert job.daily_at == time(3, 0) and job.every is None
    now = timezone.now()
    _record("old", 400, now)
    assert execute(job.name) == OK
    assert not LoginRecord.objects.exists()
