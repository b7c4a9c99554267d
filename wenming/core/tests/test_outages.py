"""Issue 9 item 5: faults answer in Chinese and lose nothing.

Redis is a real server this test starts on a free port and stops itself; the database outage is a real
connection failure (the connection is pointed at a database that cannot be opened).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from config.settings.base import redis_caches
from conftest import PASSWORD
from wenming.organizations.models import Organization


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throw-away redis-server (no persistence) on 127.0.0.1:<free port>."""

    def __init__(self, *args: str) -> None:
        self.args = args  # extra redis-server options (a later ``--save`` adds to the empty one)
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix="wenming-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        assert exe, "redis-server is required for this test"
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", *self.args],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def keys(self) -> int:
        import redis

        return redis.Redis.from_url(self.url).dbsize()


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def _outlet_form(org_tree, name: str, county: str) -> dict:
    return {
        "kind": "outlet",
        "name": name,
        "address": "沈河区青年大街1号",
        "brand": org_tree.sf.pk,
        "outlet_type": "service_point",
        "county_code": county,
        "is_rural": "0",
        "opened_on": "2016-04-01",
        "status": "open",
    }


@pytest.mark.django_db
def test_signed_in_pages_and_forms_survive_a_redis_outage(redis_server, personas, org_tree):
    with override_settings(
        CACHES=redis_caches(redis_server.url), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        client = Client(raise_request_exception=False)
        resp = client.post(reverse("accounts:login"), {"username": "sy_admin", "password": PASSWORD})
        assert resp.status_code == 302
        home = reverse("workbench:home")
        assert client.get(home).status_code == 200
        assert redis_server.keys() > 0  # the session really is cached in this Redis

        redis_server.stop()  # Redis goes away while the user is signed in

        resp = client.get(home)
        assert resp.status_code == 200, resp.content.decode()[:300]
        assert client.get(reverse("organizations:outlet-list")).status_code == 200
        url = reverse("organizations:create", args=[org_tree.shenyang_enterprise.pk])
        # a form with a mistake comes back with the user's input and the field message
        resp = client.post(url, _outlet_form(org_tree, "停机时填写的网点", "210202"))
        assert resp.status_code == 422
        body = resp.content.decode()
        assert "所选区县无效" in body and "停机时填写的网点" in body and "沈河区青年大街1号" in body
        # a correct form is saved: nothing is lost
        resp = client.post(url, _outlet_form(org_tree, "停机时填写的网点", "210103"))
        assert resp.status_code == 302
        assert Organization.objects.filter(name="停机时填写的网点").exists()
        # signing in again during the outage works too (the session lives in the database)
        other = Client(raise_request_exception=False)
        resp = other.post(reverse("accounts:login"), {"username": "dl_admin", "password": PASSWORD})
        assert resp.status_code == 302 and other.get(home).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_database_outage_answers_a_chinese_503(personas, tmp_path):
    client = Client(raise_request_exception=False)
    client.force_login(personas.shenyang_admin)
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(Path(tmp_path) / "missing-dir" / "db.sqlite3")
    else:
        connection.settings_dict["PORT"] = _free_port()  # nothing listens there
    try:
        for path in (reverse("workbench:home"), reverse("accounts:login")):
            resp = client.get(path)
            assert resp.status_code == 503, (path, resp.status_code)
            body = resp.content.decode()
            assert "服务暂不可用" in body and resp["Retry-After"] == "30"
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_other_server_errors_stay_500():
    from django.test import RequestFactory

    from wenming.core.views_errors import server_error

    try:
        raise ValueError("bug")
    except ValueError:
        resp = server_error(RequestFactory().get("/"))
    assert resp.status_code == 500 and "抱歉" in resp.content.decode()


def test_the_redis_cache_reuses_one_client_and_counts_in_one_step_until_redis_goes(redis_server):
    from wenming.core.cache import ResilientRedisCache

    cache = ResilientRedisCache(redis_server.url, {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client  # not a new redis.Redis per call
    assert cache.incr_windows([("a", 1, 60), ("b", 3, 60)]) == [1, 3]
    assert cache.incr_windows([("a", 1, 60), ("b", 3, 60)]) == [2, 6]
    assert cache.get("a") == 2 and cache.get("b") == 6  # ordinary cache reads see the counters
    assert 0 < client.ttl(cache.make_key("a")) <= 60
    client.script_flush()  # a restarted Redis has forgotten the script: it is loaded again
    assert cache.incr_windows([("a", 1, 60), ("b", 3, 60)]) == [3, 9]
    redis_server.stop()
    assert cache.incr_windows([("a", 1, 60), ("b", 3, 60)]) == [1, 3]  # degraded: as if just started
    assert cache.get("a") is None


def _refusing_writes(state: str) -> RedisServer:
    """A redis-server that answers but refuses every write: MISCONF (its snapshot cannot be written, so
    ``stop-writes-on-bgsave-error`` stops writes) or READONLY (a replica, as after a failover)."""
    import redis

    if state == "readonly":
        server = RedisServer("--replicaof", "127.0.0.1", str(_free_port()))
        server.start()
        return server
    server = RedisServer("--save", "3600 1", "--enable-protected-configs", "yes")
    server.start()
    client = redis.Redis.from_url(server.url)
    gone = os.path.join(server.dir, "gone")
    os.mkdir(gone)
    client.config_set("dir", gone)
    os.rmdir(gone)  # the snapshot's folder disappears (a full or unmounted disk acts the same)
    client.bgsave()
    deadline = time.monotonic() + 10
    while client.info("persistence")["rdb_last_bgsave_status"] != "err" and time.monotonic() < deadline:
        time.sleep(0.05)
    return server


@pytest.mark.parametrize("state", ["misconf", "readonly"])
def test_a_redis_that_refuses_writes_is_an_outage_for_the_cache_not_a_500(state, caplog):
    import redis

    from wenming.core.cache import ResilientRedisCache

    server = _refusing_writes(state)
    try:
        raw = redis.Redis.from_url(server.url)
        with pytest.raises(redis.exceptions.ResponseError, match="MISCONF|read only"):
            raw.set("probe", 1)  # the server really refuses writes
        cache = ResilientRedisCache(server.url, {})
        # the limiter's one EVALSHA (core.resp) degrades as for a dead server: counters as if just started
        assert cache.incr_windows([("a", 1, 60), ("b", 3, 60)]) == [1, 3]
        assert not cache.available and "Redis 缓存不可用" in caplog.text
        assert cache.get("a") is None  # skipped while down, no call made
        fresh = ResilientRedisCache(server.url, {})
        assert fresh.set("k", 1) is None and not fresh.available  # redis-py's write path degrades too
    finally:
        server.proc.kill()  # SIGTERM would make it try (and fail) to save before it exits
        server.proc.wait(timeout=10)
        server.stop()


def test_an_error_reply_that_is_a_bug_is_raised_not_hidden(redis_server):
    import redis

    from wenming.core.cache import ResilientRedisCache

    cache = ResilientRedisCache(redis_server.url, {})
    client = cache._cache.get_client(write=True)
    client.rpush(cache.make_key("a"), "x")  # a list where the limiter expects a counter
    with pytest.raises(redis.exceptions.ResponseError, match="WRONGTYPE"):
        cache.incr("a")
    assert cache.available  # a programming error does not switch the cache off
