"""AC3 idle and absolute timeouts under frozen time; AC4 sessions of a disabled user end at once."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from wenming.accounts.models import LoginRecord, UserSession
from wenming.audit.models import AuditEvent
from wenming.organizations.services import session_kill, user_deactivate

HOME = "/workbench/notifications/"


def _login(client, username):
    r = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return client.session.session_key


@pytest.mark.django_db
def test_staff_idle_timeout_is_30_minutes(client, personas):
    with time_machine.travel(timezone.now(), tick=False) as t:
        key = _login(client, "sy_staff")
        t.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200  # activity resets the idle clock
        t.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200
        t.shift(timedelta(minutes=31))
        r = client.get(HOME)
        assert r.status_code == 302 and r.url.startswith(reverse("accounts:login") + "?reason=timeout")
        assert not Session.objects.filter(session_key=key).exists()
        assert not UserSession.objects.filter(session_key=key).exists()
    ev = AuditEvent.objects.filter(action="session_timeout").last()
    assert ev.actor_id == personas.shenyang_staff.pk and ev.detail == {"reason": "idle"}
    assert LoginRecord.objects.filter(username="sy_staff", outcome="timeout").count() == 1
    assert "会话已结束" in client.get(r.url).content.decode()


@pytest.mark.django_db
def test_mlps_admin_idle_timeout_is_15_minutes(client, personas):
    with time_machine.travel(timezone.now(), tick=False) as t:
        _login(client, "sec")
        t.shift(timedelta(minutes=14))
        assert client.get(HOME).status_code == 200
        t.shift(timedelta(minutes=16))
        r = client.get(HOME)
        assert r.status_code == 302 and "reason=timeout" in r.url
    with time_machine.travel(timezone.now(), tick=False) as t:
        _login(client, "sy_staff")
        t.shift(timedelta(minutes=16))
        assert client.get(HOME).status_code == 200  # staff still have 30


@pytest.mark.django_db
def test_absolute_cap_of_12_hours_despite_activity(client, personas):
    with time_machine.travel(timezone.now(), tick=False) as t:
        _login(client, "sy_staff")
        for _ in range(28):  # active every 25 minutes for 11 h 40 min
            t.shift(timedelta(minutes=25))
            assert client.get(HOME).status_code == 200
        t.shift(timedelta(minutes=25))  # 12 h 05 min after login, idle only 25 min
        r = client.get(HOME)
        assert r.status_code == 302 and "reason=timeout" in r.url
    assert AuditEvent.objects.filter(action="session_timeout").last().detail == {"reason": "absolute"}


@pytest.mark.django_db
def test_htmx_requests_get_hx_redirect_on_timeout(client, personas):
    with time_machine.travel(timezone.now(), tick=False) as t:
        _login(client, "sy_staff")
        t.shift(timedelta(minutes=31))
        r = client.get(HOME, HTTP_HX_REQUEST="true")
        assert r.status_code == 204 and r["HX-Redirect"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_last_seen_written_at_most_once_a_minute(client, personas):
    with time_machine.travel(timezone.now(), tick=False) as t:
        key = _login(client, "sy_staff")
        first = UserSession.objects.get(session_key=key).last_seen_at
        t.shift(timedelta(seconds=30))
        client.get(HOME)
        assert UserSession.objects.get(session_key=key).last_seen_at == first
        t.shift(timedelta(seconds=31))
        client.get(HOME)
        assert UserSession.objects.get(session_key=key).last_seen_at > first


@pytest.mark.django_db
def test_deactivation_kills_every_session(client, django_user_model, personas):
    from django.test import Client

    a, b = Client(), Client()
    key_a, key_b = _login(a, "sy_staff"), _login(b, "sy_staff")
    assert UserSession.objects.filter(user=personas.shenyang_staff).count() == 2
    killed = user_deactivate(user=personas.shenyang_staff, by=personas.sysadmin)
    assert killed == 2
    assert not Session.objects.filter(session_key__in=[key_a, key_b]).exists()
    assert not UserSession.objects.filter(user=personas.shenyang_staff).exists()
    assert a.get(HOME).status_code == 302 and b.get(HOME).status_code == 302
    ev = AuditEvent.objects.filter(action="user_change").last()
    assert ev.detail == {"op": "deactivate", "sessions": 2} and ev.actor_id == personas.sysadmin.pk


@pytest.mark.django_db
def test_forced_logout_by_security_admin(client, personas):
    key = _login(client, "sy_staff")
    session_kill(session=UserSession.objects.get(session_key=key), by=personas.secadmin)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(action="session_killed", actor_id=personas.secadmin.pk).exists()


@pytest.mark.django_db
def test_session_started_by_force_login_is_tracked(login, personas):
    c = login(personas.shenyang_staff)
    assert c.get(HOME).status_code == 200
    assert UserSession.objects.filter(user=personas.shenyang_staff, session_key=c.session.session_key).exists()


@pytest.mark.django_db
def test_password_change_ends_other_sessions(personas):
    from django.test import Client

    a, b = Client(), Client()
    _login(a, "sy_staff")
    key_b = _login(b, "sy_staff")
    r = a.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh#Pass2026", "new_password2": "Fresh#Pass2026"},
    )
    assert r.status_code == 302
    assert a.get(HOME).status_code == 200
    assert b.get(HOME).status_code == 302
    assert not Session.objects.filter(session_key=key_b).exists()
    assert UserSession.objects.filter(user=personas.shenyang_staff).count() == 1
    assert UserSession.objects.filter(session_key=a.session.session_key).exists()
