"""Benchmark endpoints: empty unless ``settings.WENMING_BENCH_ENDPOINTS`` is true (the harness sets it)."""

from django.conf import settings
from django.urls import path

from . import views

app_name = "bench"
urlpatterns = (
    [
        path("json/", views.bench_json, name="json"),
        path("write/", views.bench_write, name="write"),
        path("rollup/", views.bench_rollup, name="rollup"),
    ]
    if getattr(settings, "WENMING_BENCH_ENDPOINTS", False)
    else []
)
