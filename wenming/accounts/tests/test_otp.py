"""AC5: every admin role needs a second factor (TOTP) when the setting is on; 5 wrong codes lock."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from wenming.accounts.models import LoginThrottle
from wenming.audit.models import AuditEvent

HOME = "/workbench/notifications/"
ON = override_settings(WENMING_REQUIRE_ADMIN_2FA=True)


def _login(client, username):
    r = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert r.status_code == 302
    return r


def _wrong(device):
    """A code valid in none of the accepted steps (now ± 1)."""
    valid = {
        f"{totp(device.bin_key, step=device.step, t0=device.t0 + d * device.step, digits=6, drift=device.drift):06d}"
        for d in (-1, 0, 1)
    }
    return next(c for c in ("123456", "654321", "111111", "999999") if c not in valid)


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


@ON
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "province_admin"])
def test_admin_must_enrol_then_verify_before_any_page(client, personas, who):
    user = getattr(personas, who)
    _login(client, user.username)
    # no page but the second-factor pages (and logout) until verified
    for url in [HOME, reverse("workbench:notifications"), reverse("accounts:password_change")]:
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("accounts:otp-verify")), url
    r = client.get(reverse("accounts:otp-verify"))
    assert r.status_code == 302 and r.url.startswith(reverse("accounts:otp-setup"))
    page = client.get(reverse("accounts:otp-setup")).content.decode()
    assert "<svg" in page and "绑定动态口令" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = client.post(reverse("accounts:otp-setup"), {"token": _code(device), "next": HOME})
    assert r.status_code == 302 and r.url == HOME
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action="otp", actor_id=user.pk, outcome="success").exists()


@ON
@pytest.mark.django_db
def test_enrolled_admin_verifies_on_each_login(client, personas):
    user = personas.secadmin
    device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=True)
    step_start = (int(time.time()) // 30) * 30 + 1  # stay inside one 30-second step below
    with time_machine.travel(datetime.fromtimestamp(step_start, tz=UTC), tick=False) as t:
        _login(client, "sec")
        assert client.get(HOME).url.startswith(reverse("accounts:otp-verify"))
        r = client.post(reverse("accounts:otp-verify"), {"token": _wrong(device)})
        assert r.status_code == 200 and "动态口令不正确" in r.content.decode()
        r = client.post(reverse("accounts:otp-verify"), {"token": _code(device)})
        assert r.status_code == 302
        assert client.get(HOME).status_code == 200
        # a new login needs a new code; the same code cannot be replayed
        client.post(reverse("accounts:logout"))
        t.shift(timedelta(seconds=5))
        _login(client, "sec")
        r = client.post(reverse("accounts:otp-verify"), {"token": _code(device)})
        assert r.status_code == 200  # replay refused
        t.shift(timedelta(seconds=30))
        r = client.post(reverse("accounts:otp-verify"), {"token": _code(device)})
        assert r.status_code == 302


@ON
@pytest.mark.django_db
def test_five_wrong_codes_lock_the_account(client, personas):
    user = personas.secadmin
    device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=True)
    wrong = _wrong(device)
    _login(client, "sec")
    for _ in range(4):
        r = client.post(reverse("accounts:otp-verify"), {"token": wrong})
        assert r.status_code == 200
    r = client.post(reverse("accounts:otp-verify"), {"token": wrong})
    assert r.status_code == 302 and "reason=otp_locked" in r.url
    assert "_auth_user_id" not in client.session
    assert LoginThrottle.objects.get(username="sec").locked_until > timezone.now()
    assert AuditEvent.objects.filter(action="otp", outcome="failure", actor_id=user.pk).count() == 5
    assert AuditEvent.objects.filter(action="lockout", actor_id=user.pk).exists()
    # the password alone no longer opens a session
    r = client.post(reverse("accounts:login"), {"username": "sec", "password": PASSWORD})
    assert r.status_code == 200


@ON
@pytest.mark.django_db
def test_staff_without_admin_role_need_no_second_factor(client, personas):
    _login(client, "sy_admin")  # a city administrator
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_no_second_factor_when_setting_is_off(client, personas):
    _login(client, "sec")
    assert client.get(HOME).status_code == 200


@ON
@pytest.mark.django_db
def test_role_granted_mid_session_requires_second_factor_within_a_minute(client, personas, org_tree):
    from wenming.organizations.services import role_grant

    with time_machine.travel(timezone.now(), tick=False) as t:
        _login(client, "sy_staff")
        assert client.get(HOME).status_code == 200
        role_grant(
            user=personas.shenyang_staff, organization=org_tree.province, role="province_admin", by=personas.secadmin
        )
        t.shift(timedelta(seconds=61))
        r = client.get(HOME)
        assert r.status_code == 302 and r.url.startswith(reverse("accounts:otp-verify"))


@ON
@pytest.mark.django_db
def test_security_admin_resets_a_lost_device(client, login, personas):
    from django.test import Client

    user = personas.auditor
    TOTPDevice.objects.create(user=user, name="动态口令", confirmed=True)
    sec = TOTPDevice.objects.create(user=personas.secadmin, name="动态口令", confirmed=True)
    c = Client()
    c.post(reverse("accounts:login"), {"username": "sec", "password": PASSWORD})
    c.post(reverse("accounts:otp-verify"), {"token": _code(sec)})
    r = c.post(reverse("accounts:otp-reset", args=[user.pk]))
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="otp", actor_id=personas.secadmin.pk, detail__step="reset").exists()
    # others may not
    assert login(personas.shenyang_admin).post(reverse("accounts:otp-reset", args=[sec.user_id])).status_code == 403
    assert TOTPDevice.objects.filter(user=personas.secadmin).exists()
