"""Registry of benchmark cases. Modules add their own cases; the harness (bench.run) runs them in order.

An area registers its cases in ``bench/cases_<area>.py`` (every such module is imported by ``bench.run``)::

    from bench.registry import BenchCase, HttpLoad, Target, register

    register(BenchCase(
        id="V1", title="投票 POST", module="votes", order=200,
        http=HttpLoad(path="/p/votes/123/", method="POST", body="candidate=7"),
        setup=make_campaign,                       # (ctx) -> None, runs once before the load
        targets=(Target("rps", ">=", 0.6, baseline="B2", label="≥ 0.6 × B2"),
                 Target("rps", ">=", 400, label="≥ 400 votes/s")),
    ))

A case either describes an HTTP load (``http``: the harness starts the production server and drives it
with the load generator) or brings its own measurement (``run``: ``(ctx) -> dict`` of metrics).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}


class Skip(Exception):
    """Raised by a case that cannot run here yet; the message goes into the report."""


@dataclass(frozen=True)
class HttpLoad:
    """A load-generator run against the production server started by the harness."""

    path: str
    method: str = "GET"
    body: str = ""
    content_type: str = "application/x-www-form-urlencoded"
    concurrency: int = 64
    server: str | None = None  # None: the production server (bench.harness.PRODUCTION_SERVER); or "gunicorn"
    workers: int | None = None  # None: the production count, (2 × cores) + 1
    cpus: str | None = None  # taskset CPU list for the server, e.g. "0"
    client_cpus: str | None = None  # taskset CPU list for the load generator
    headers: tuple[str, ...] = ()  # extra request headers, e.g. ("Cookie: sessionid=…",)
    db: str | None = None  # None: the run's scratch database; or another one (A1's seeded copies)


@dataclass(frozen=True)
class Target:
    """A pass/fail figure from quality.md A3. With ``baseline`` the metric is divided by the baseline's."""

    metric: str
    op: str
    value: float
    baseline: str | None = None
    label: str = ""
    timing: bool = True  # timing figures gate `make bench` only; counts and correctness gate the smoke run too

    def evaluate(self, metrics: dict[str, Any], results: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        value = metrics.get(self.metric)
        if value is None:
            return None, f"{self.metric} 无数据"
        if self.baseline:
            base = (results.get(self.baseline) or {}).get("metrics", {}).get(self.metric)
            if not base:
                return None, f"缺少基线 {self.baseline}"
            value = value / base
        ok = _OPS[self.op](value, self.value)
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        what = f"{self.metric}/{self.baseline}" if self.baseline else self.metric
        return ok, f"{what} = {shown} {self.op} {self.value:g}"


@dataclass
class BenchCase:
    id: str
    title: str
    module: str = "core"
    order: int = 100
    http: HttpLoad | None = None
    run: Callable[[Any], dict[str, Any]] | None = None
    setup: Callable[[Any], None] | None = None
    targets: tuple[Target, ...] = ()
    smoke: bool = True  # also part of `make bench-smoke`
    reps: int | None = None  # None: the run's repetition count (3, smoke 1)
    notes: str = ""
    baseline: bool = False  # a reference measurement (B0–B4, CPU): reported as 基线, never as 达标
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.http is None) == (self.run is None):
            raise ValueError(f"{self.id}: give exactly one of http= or run=")
        for t in self.targets:
            if t.op not in _OPS:
                raise ValueError(f"{self.id}: unknown operator {t.op!r}")


_REGISTRY: dict[str, BenchCase] = {}


def register(case: BenchCase) -> BenchCase:
    """Add a case; registering the same id twice from different modules is an error."""
    existing = _REGISTRY.get(case.id)
    if existing is not None and existing.module != case.module:
        raise ValueError(f"benchmark id {case.id} already registered by module {existing.module}")
    _REGISTRY[case.id] = case
    return case


def unregister(case_id: str) -> None:
    _REGISTRY.pop(case_id, None)


def cases(*, smoke: bool = False, only: set[str] | None = None) -> list[BenchCase]:
    chosen = [c for c in _REGISTRY.values() if (not smoke or c.smoke) and (not only or c.id in only)]
    return sorted(chosen, key=lambda c: (c.order, c.id))
