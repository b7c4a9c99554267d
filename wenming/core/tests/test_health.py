import importlib
import json

from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse

import bench.urls
from bench.views import bench_json


def test_healthz_reports_database_and_cache_ok(client, db):
    # when an anonymous probe asks
    response = client.get(reverse("healthz"))
    # then both dependencies answer and nothing may be cached
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_unreachable(client, db):
    # given a cache server that refuses connections (nothing listens on port 1)
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=dead):
        response = client.get(reverse("healthz"))
    # then the probe fails and names the broken part, not the working one
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["database"] == "ok"
    assert body["cache"].startswith("fail")


def test_healthz_accepts_only_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_bench_endpoints_are_not_mounted_by_default(client, db):
    # the test (and any non-bench) profile leaves WENMING_BENCH_ENDPOINTS off
    assert client.get("/_bench/json/").status_code == 404
    try:
        reverse("bench:json")
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("bench:json must not resolve when the endpoints are off")


def test_bench_urls_follow_the_setting(settings):
    try:
        settings.WENMING_BENCH_ENDPOINTS = True
        importlib.reload(bench.urls)
        assert [p.name for p in bench.urls.urlpatterns] == ["json", "write", "rollup"]
    finally:
        settings.WENMING_BENCH_ENDPOINTS = False
        importlib.reload(bench.urls)
    assert bench.urls.urlpatterns == []


def test_bench_json_view_is_a_bare_json_response():
    response = bench_json(RequestFactory().get("/_bench/json/"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"ok": True, "n": 1}
