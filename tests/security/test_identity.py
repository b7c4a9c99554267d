"""AU6 identity: refused accounts lose their tokens and sessions; every refused login does the same hashing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_user
from wenming.accounts.models import LoginThrottle, UserSession
from wenming.api.services import api_token_create

API = "/api/v1/organizations/"


def _lock(username: str) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": username, "password": "Wrong#Pass2026x"})
    assert LoginThrottle.objects.get(username=username).locked_until > timezone.now()


def _bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", raise_request_exception=False)


@pytest.mark.parametrize("state", ["locked", "disabled", "password_expired", "must_change_password"])
def test_a_refused_accounts_api_token_stops_at_once(personas, state):
    user = personas.shenyang_staff
    _, key = api_token_create(user=user, name="数据大屏对接", by=personas.secadmin)
    assert _bearer(key).get(API).status_code == 200
    if state == "locked":
        _lock(user.username)
    elif state == "disabled":
        user.is_active = False
        user.save(update_fields=["is_active"])
    elif state == "password_expired":
        user.password_changed_at = timezone.now() - timedelta(days=91)
        user.save(update_fields=["password_changed_at"])
    else:
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
    resp = _bearer(key).get(API)
    assert resp.status_code == 401, (state, resp.status_code)
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("state", ["locked", "disabled"])
def test_a_refused_accounts_session_stops_within_a_minute(personas, state):
    user = personas.shenyang_staff
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        assert client.get("/org/tree/").status_code == 200
        assert UserSession.objects.filter(user=user).count() == 1
        if state == "locked":
            _lock(user.username)
        else:  # switched off in the database (not through user_deactivate, which ends sessions itself)
            user.is_active = False
            user.save(update_fields=["is_active"])
        clock.shift(timedelta(seconds=61))
        resp = client.get("/org/tree/")
        assert resp.status_code == 302 and resp.url.startswith(reverse("accounts:login")), (state, resp.status_code)
        assert client.get("/org/tree/").status_code == 302
        if state == "locked":  # the live-session list no longer shows it
            assert not UserSession.objects.filter(user=user).exists()


def test_an_expired_password_confines_the_session_to_the_change_page(personas):
    user = personas.shenyang_staff
    client = Client()
    client.force_login(user)
    assert client.get("/org/tree/").status_code == 200
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save(update_fields=["password_changed_at"])
    resp = client.get("/org/tree/")
    assert resp.status_code == 302 and resp.url == reverse("accounts:password_change")


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting every hash it computes (``verify`` computes through ``encode``)."""

    algorithm = "counted_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def _hash_calls(username: str, password: str) -> int:
    CountingHasher.calls = 0
    Client().post(reverse("accounts:login"), {"username": username, "password": password})
    return CountingHasher.calls


@override_settings(PASSWORD_HASHERS=["tests.security.test_identity.CountingHasher"])
def test_locked_unknown_and_wrong_password_logins_do_the_same_hashing(org_tree):
    make_user("zhao_lin", role="city_user", org=org_tree.shenyang)
    make_user("qian_hui", role="city_user", org=org_tree.shenyang)
    _lock("qian_hui")
    calls = {
        "wrong password": _hash_calls("zhao_lin", "Wrong#Pass2026x"),
        "unknown user": _hash_calls("no_such_person", "Wrong#Pass2026x"),
        "locked": _hash_calls("qian_hui", PASSWORD),
        "locked, wrong password": _hash_calls("qian_hui", "Wrong#Pass2026x"),
    }
    assert set(calls.values()) == {1}, calls
    assert _hash_calls("zhao_lin", PASSWORD) == 1  # and the right password: one hash, then signed in


def _api_urls() -> list[str]:
    from .urlwalk import staff_endpoints

    urls = [ep.build({k: 1 for k in ep.params}) for ep in staff_endpoints() if ep.path.startswith("/api/")]
    assert len(urls) >= 9, urls  # organisations, couriers, activities, volunteer hours (list + detail), schema
    return urls


@pytest.mark.parametrize("auth", ["none", "bad token", "malformed header"])
def test_every_api_endpoint_answers_401_with_a_bearer_challenge(db, auth):
    headers = {
        "none": {},
        "bad token": {"HTTP_AUTHORIZATION": "Bearer wm_" + "0" * 64},
        "malformed header": {"HTTP_AUTHORIZATION": "Bearer a b"},
    }[auth]
    client = Client(raise_request_exception=False, **headers)
    wrong = []
    for url in _api_urls():
        for method in ("get", "post"):
            resp = getattr(client, method)(url)
            challenge = resp.headers.get("WWW-Authenticate", "")
            if resp.status_code != 401 or not challenge.startswith("Bearer"):
                wrong.append(f"{method.upper()} {url}: {resp.status_code} {challenge!r}")
            elif not any("\u4e00" <= ch <= "\u9fff" for ch in resp.content.decode()):
                wrong.append(f"{method.upper()} {url}: message not in Chinese")
    assert not wrong, "\n".join(wrong)


def test_docs_api_lists_exactly_the_writable_endpoints():
    """docs/api.md's endpoint table names every method the API accepts besides GET, and no other."""
    import re
    from pathlib import Path

    from django.conf import settings

    from .urlwalk import staff_endpoints

    table = Path(settings.BASE_DIR, "docs", "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(POST|PUT|PATCH|DELETE) (/api/v1/[^`]*)`", table, re.M))
    actual = set()
    for ep in staff_endpoints():
        actions = getattr(ep.callback, "actions", None) or {}
        if not ep.path.startswith("/api/"):
            continue
        # a router's regex group (``(?P<pk>[^/.]+)``, its ``^`` dropped by Endpoint.path) or a converter
        path = re.sub(r"<(?:\w+:)?(\w+)>", "{id}", re.sub(r"\(\?P<\w+>[^)]*\)", "{id}", ep.path))
        for method in actions:
            if method.upper() not in ("GET", "HEAD", "OPTIONS"):
                actual.add((method.upper(), path))
    assert actual, "the API has writable endpoints"
    assert documented == actual, (documented, actual)
