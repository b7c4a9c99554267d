"""AC1 lockout without enumeration, AC4 new session id, logout, demo accounts, AC10 defaults."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_user
from wenming.accounts.models import LoginRecord, LoginThrottle, User, UserSession
from wenming.accounts.services import LOGIN_ERROR
from wenming.audit.models import AuditEvent
from wenming.organizations.services import account_unlock

LOGIN = "/accounts/login/"


def _post(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_success_cycles_session_id_and_records(client, personas):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    r = _post(client, "sy_staff", PASSWORD)
    assert r.status_code == 302 and r.url == reverse("workbench:home")
    after = client.session.session_key
    assert after and after != before
    assert len(after) >= 32  # Django keys: 32 chars of [a-z0-9] ≈ 165 bits
    assert UserSession.objects.filter(user=personas.shenyang_staff, session_key=after, ip="10.0.0.1").exists()
    assert LoginRecord.objects.filter(username="sy_staff", outcome="success").count() == 1
    assert AuditEvent.objects.filter(action="login", actor_id=personas.shenyang_staff.pk).exists()
    cookie = r.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_login_keeps_only_safe_next(client, personas):
    r = client.post(LOGIN + "?next=/workbench/notifications/", {"username": "sy_staff", "password": PASSWORD})
    assert r.url == "/workbench/notifications/"
    client.post(reverse("accounts:logout"))
    r = client.post(LOGIN + "?next=https://evil.example/", {"username": "sy_staff", "password": PASSWORD})
    assert r.url == reverse("workbench:home")


@pytest.mark.django_db
def test_lockout_after_five_failures_from_two_ips_without_enumeration(client, personas):
    # given four wrong passwords from one address and one from another
    for i in range(5):
        r = _post(client, "sy_staff", "Wrong#Pass2026", ip="10.0.0.1" if i % 2 else "10.9.9.9")
        assert r.status_code == 200
        assert LOGIN_ERROR in r.content.decode()
    throttle = LoginThrottle.objects.get(username="sy_staff")
    assert throttle.locked_until is not None and throttle.locked_until > timezone.now() + timedelta(minutes=29)
    # then the right password is refused with the very same page text as an unknown user
    locked = _post(client, "sy_staff", PASSWORD, ip="10.1.1.1")
    unknown = _post(client, "no_such_user", PASSWORD, ip="10.1.1.1")
    wrong = _post(client, "sy_admin", "Wrong#Pass2026", ip="10.1.1.1")
    assert "_auth_user_id" not in client.session
    assert locked.status_code == unknown.status_code == wrong.status_code == 200

    def _errors(resp):
        body = resp.content.decode()
        start = body.index('class="form-errors"')
        return body[start : body.index("</div>", start)]

    assert _errors(locked) == _errors(unknown) == _errors(wrong)
    assert LOGIN_ERROR in _errors(locked)
    # and everything is on record
    assert AuditEvent.objects.filter(action="lockout", object_repr="sy_staff").count() == 1
    assert LoginRecord.objects.filter(username="sy_staff", outcome="failure").count() == 4
    assert (
        LoginRecord.objects.filter(username="sy_staff", outcome="locked").count() == 2
    )  # the 5th + the attempt while locked
    assert set(LoginRecord.objects.filter(username="sy_staff").values_list("ip", flat=True)) >= {"10.0.0.1", "10.9.9.9"}


@pytest.mark.django_db
def test_unknown_usernames_are_locked_too(client, db):
    for _ in range(5):
        _post(client, "ghost", "Whatever#2026")
    assert LoginThrottle.objects.get(username="ghost").locked_until > timezone.now()
    assert AuditEvent.objects.filter(action="lockout", object_repr="ghost").exists()


@pytest.mark.django_db
def test_failures_outside_the_window_do_not_add_up(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as t:
        for _ in range(4):
            _post(client, "sy_staff", "Wrong#Pass2026")
        t.shift(timedelta(minutes=16))
        _post(client, "sy_staff", "Wrong#Pass2026")
        assert LoginThrottle.objects.get(username="sy_staff").locked_until is None
        assert _post(client, "sy_staff", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lock_lifts_by_itself_after_30_minutes(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as t:
        for _ in range(5):
            _post(client, "sy_staff", "Wrong#Pass2026")
        t.shift(timedelta(minutes=29))
        assert _post(client, "sy_staff", PASSWORD).status_code == 200  # still locked
        t.shift(timedelta(minutes=2))
        r = _post(client, "sy_staff", PASSWORD)
        assert r.status_code == 302
        assert client.session["_auth_user_id"] == str(personas.shenyang_staff.pk)


@pytest.mark.django_db
def test_security_admin_unlocks(client, personas):
    for _ in range(5):
        _post(client, "sy_staff", "Wrong#Pass2026")
    account_unlock(username="SY_staff", by=personas.secadmin)
    assert _post(client, "sy_staff", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="unlock", actor_id=personas.secadmin.pk).exists()


@pytest.mark.django_db
def test_inactive_user_gets_the_same_message(client, personas):
    User.objects.filter(pk=personas.shenyang_staff.pk).update(is_active=False)
    r = _post(client, "sy_staff", PASSWORD)
    assert r.status_code == 200 and LOGIN_ERROR in r.content.decode()


@pytest.mark.django_db
def test_logout_is_post_only_and_deletes_the_server_session(client, personas):
    _post(client, "sy_staff", PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("accounts:logout")).status_code == 405
    r = client.post(reverse("accounts:logout"))
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert LoginRecord.objects.filter(username="sy_staff", outcome="logout").exists()
    assert AuditEvent.objects.filter(action="logout", actor_id=personas.shenyang_staff.pk).exists()
    assert client.get(reverse("workbench:notifications")).status_code == 302


@pytest.mark.django_db
def test_demo_account_refused_in_production_profile(client, org_tree):
    make_user("demo_city", role="city_admin", org=org_tree.shenyang, is_demo=True)
    with override_settings(WENMING_PROFILE="production"):
        r = _post(client, "demo_city", PASSWORD)
        assert r.status_code == 200 and LOGIN_ERROR in r.content.decode()
    r = _post(client, "demo_city", PASSWORD)
    assert r.status_code == 302  # the local profile allows demo data
    with override_settings(WENMING_PROFILE="production"):
        # an existing demo session stops working too
        assert client.get(reverse("workbench:notifications")).status_code == 302


@pytest.mark.django_db
def test_fresh_install_has_no_default_credentials(client, db):
    assert User.objects.count() == 0
    for name, pw in [("admin", "admin"), ("admin", "admin123"), ("root", "root"), ("sysadmin", "Admin@123")]:
        assert _post(client, name, pw).status_code == 200


@pytest.mark.django_db
def test_no_session_survives_a_failed_audit_write(client, personas):
    from wenming.audit.services import AuditWriteError

    with override_settings(WENMING_AUDIT_KEY=""), pytest.raises(AuditWriteError):
        _post(client, "sy_staff", PASSWORD)
    assert not Session.objects.exists()
    assert not UserSession.objects.exists()
    assert client.get(reverse("workbench:notifications")).status_code == 302
