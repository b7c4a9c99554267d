"""B2/B3: 20 failed logins from one address within an hour → a text CAPTCHA, never an address lockout."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from wenming.accounts.models import LoginRecord, LoginThrottle
from wenming.accounts.services import (
    CAPTCHA_SESSION_KEY,
    LOGIN_ERROR,
    captcha_check,
    captcha_new,
    captcha_required,
    login_ip_failures,
)
from wenming.audit.models import AuditEvent

LOGIN = "/accounts/login/"
IP = "10.20.0.1"
QUESTION = re.compile(r"请计算：(\d+) (加|减) (\d+) 等于多少？")


def _post(client, username, password, ip=IP, **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def _fail_from(client, ip=IP, n=20):
    # distinct unknown usernames: password spraying, so no username reaches its own lockout
    for i in range(n):
        r = _post(client, f"ghost{i}", "Wrong#Pass2026", ip=ip)
        assert r.status_code == 200


def _answer(html):
    m = QUESTION.search(html)
    assert m, "CAPTCHA question not on the page"
    a, op, b = int(m.group(1)), m.group(2), int(m.group(3))
    return str(a + b if op == "加" else a - b)


@pytest.mark.django_db
def test_twenty_failures_from_one_address_require_the_captcha(client, personas):
    _fail_from(client, n=19)
    r = client.get(LOGIN, REMOTE_ADDR=IP)
    assert not QUESTION.search(r.content.decode())
    assert not AuditEvent.objects.filter(detail__ip_throttle=True).exists()
    # the 20th failure crosses the threshold: audited once
    r = _post(client, "ghost19", "Wrong#Pass2026")
    assert QUESTION.search(r.content.decode())
    assert AuditEvent.objects.filter(action="login_failed", detail__ip_throttle=True, ip=IP).count() == 1
    # the 21st attempt, right password but no answer: refused with the generic message, question shown
    r = _post(client, "sy_staff", PASSWORD)
    html = r.content.decode()
    assert r.status_code == 200 and LOGIN_ERROR in html
    assert 'name="captcha"' in html and QUESTION.search(html)
    assert not client.session.get("_auth_user_id")
    assert AuditEvent.objects.filter(detail__reason="captcha", detail__username="sy_staff").count() == 1
    # the username itself is not counted: its own lockout stays untouched
    assert not LoginThrottle.objects.filter(username="sy_staff", failures__gt=0).exists()
    # a wrong answer is refused the same way (and the password is not even looked at)
    wrong = str(int(_answer(html)) + 1)
    r = _post(client, "sy_staff", PASSWORD, captcha=wrong)
    assert LOGIN_ERROR in r.content.decode()
    # the right answer with the right password signs in
    r = _post(client, "sy_staff", PASSWORD, captcha=_answer(r.content.decode()))
    assert r.status_code == 302 and r.url == reverse("workbench:home")
    assert AuditEvent.objects.filter(detail__ip_throttle=True).count() == 1  # crossing audited only once
    assert login_ip_failures(IP) == 22  # counted in the one rate limiter


@pytest.mark.django_db
def test_other_address_is_unaffected_and_spoofed_forwarded_for_changes_nothing(client, personas):
    _fail_from(client)
    r = client.post(
        LOGIN, {"username": "sy_staff", "password": PASSWORD}, REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="192.0.2.77"
    )
    assert r.status_code == 200 and LOGIN_ERROR in r.content.decode()
    assert QUESTION.search(r.content.decode())
    assert login_ip_failures("192.0.2.77") == 0
    other = _post(client, "sy_staff", PASSWORD, ip="10.20.0.2")
    assert other.status_code == 302


@pytest.mark.django_db
def test_captcha_no_longer_asked_after_the_hour(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as t:
        _fail_from(client)
        assert QUESTION.search(client.get(LOGIN, REMOTE_ADDR=IP).content.decode())
        t.move_to(start + timedelta(minutes=59))
        assert QUESTION.search(client.get(LOGIN, REMOTE_ADDR=IP).content.decode())
        t.move_to(start + timedelta(hours=1, seconds=1))
        r = client.get(LOGIN, REMOTE_ADDR=IP)
        assert not QUESTION.search(r.content.decode()) and 'name="captcha"' not in r.content.decode()
        r = _post(client, "sy_staff", PASSWORD)
        assert r.status_code == 302
        # a new window starts from the next failure, counting from one
        client.post(reverse("accounts:logout"))
        _post(client, "ghost", "Wrong#Pass2026")
        assert login_ip_failures(IP) == 1
        t.move_to(start + timedelta(hours=1, minutes=59))  # that window lasts an hour from this failure
        assert login_ip_failures(IP) == 1
        t.move_to(start + timedelta(hours=2, seconds=2))
        assert login_ip_failures(IP) == 0


@pytest.mark.django_db
def test_locked_username_attempts_count_for_the_address_too(client, personas):
    for _ in range(5):
        _post(client, "sy_staff", "Wrong#Pass2026")
    for _ in range(15):
        _post(client, "sy_staff", PASSWORD)  # locked: refused without checking
    assert LoginRecord.objects.filter(username="sy_staff", outcome="locked").count() >= 15
    assert captcha_required(RequestFactory().get(LOGIN, REMOTE_ADDR=IP))


def _request(ip=IP):
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=ip)
    request.session = SessionStore()
    return request


@pytest.mark.django_db
def test_captcha_answer_is_single_use_and_expires():
    request = _request()
    answer = _answer(captcha_new(request))
    stored = request.session[CAPTCHA_SESSION_KEY]
    assert set(stored) == {"n", "h", "exp"} and len(stored["h"]) == 64  # only a keyed hash of the answer
    assert captcha_check(request, answer)
    assert not captcha_check(request, answer)  # replay
    answer = _answer(captcha_new(request))
    assert captcha_check(request, answer.translate(str.maketrans("0123456789", "０１２３４５６７８９")))  # IME digits
    start = timezone.now()
    with time_machine.travel(start, tick=False) as t:
        answer = _answer(captcha_new(request))
        t.move_to(start + timedelta(minutes=5, seconds=1))
        assert not captcha_check(request, answer)
    answer = _answer(captcha_new(request))
    assert not captcha_check(request, "")
    assert not captcha_check(request, answer)  # a missing answer voids the question too


@pytest.mark.django_db
@override_settings(WENMING_IP_THROTTLE_FAILURES=3)
def test_ipv6_addresses_are_counted_per_slash_64(client, personas):
    for i in range(3):
        _post(client, f"ghost{i}", "Wrong#Pass2026", ip=f"2001:db8:1:2::{i + 1}")
    assert login_ip_failures("2001:db8:1:2::") == 3
    assert captcha_required(RequestFactory().get(LOGIN, REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert not captcha_required(RequestFactory().get(LOGIN, REMOTE_ADDR="2001:db8:1:3::1"))
