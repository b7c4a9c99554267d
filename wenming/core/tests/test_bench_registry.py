"""The benchmark registry: ordering, smoke selection, targets against baselines, medians."""

import pytest

from bench import registry
from bench.harness import granian_args, gunicorn_args, median_metrics
from bench.registry import BenchCase, HttpLoad, Target


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    return registry


def _noop(ctx):
    return {}


def test_cases_are_ordered_and_filtered(clean_registry):
    clean_registry.register(BenchCase(id="V1", title="vote", module="votes", order=200, run=_noop))
    clean_registry.register(BenchCase(id="B2", title="json", order=30, http=HttpLoad(path="/_bench/json/")))
    clean_registry.register(BenchCase(id="E1", title="export", module="exports", order=300, run=_noop, smoke=False))
    assert [c.id for c in clean_registry.cases()] == ["B2", "V1", "E1"]
    assert [c.id for c in clean_registry.cases(smoke=True)] == ["B2", "V1"]
    assert [c.id for c in clean_registry.cases(only={"E1"})] == ["E1"]


def test_an_id_belongs_to_one_module(clean_registry):
    clean_registry.register(BenchCase(id="V1", title="vote", module="votes", run=_noop))
    with pytest.raises(ValueError, match="already registered"):
        clean_registry.register(BenchCase(id="V1", title="other", module="surveys", run=_noop))


def test_a_case_is_either_http_or_run():
    with pytest.raises(ValueError):
        BenchCase(id="X", title="both", run=_noop, http=HttpLoad(path="/"))
    with pytest.raises(ValueError):
        BenchCase(id="X", title="neither")


def test_target_ratio_to_a_baseline_from_the_same_run():
    results = {"B2": {"metrics": {"rps": 1000.0}}}
    target = Target("rps", ">=", 0.6, baseline="B2")
    assert target.evaluate({"rps": 650.0}, results)[0] is True
    ok, detail = target.evaluate({"rps": 550.0}, results)
    assert ok is False and "0.55" in detail
    # without the baseline the target cannot be judged, which is not a pass
    assert target.evaluate({"rps": 650.0}, {})[0] is None
    assert Target("queries_max", "<=", 10).evaluate({"queries_max": 11}, {})[0] is False


def test_median_of_repetitions():
    runs = [{"rps": 900.0, "p99_ms": 30.0, "server": "g"}, {"rps": 1000.0, "p99_ms": 10.0, "server": "g"}]
    runs.append({"rps": 950.0, "p99_ms": 20.0, "server": "g"})
    assert median_metrics(runs) == {"rps": 950.0, "p99_ms": 20.0, "server": "g"}


def test_core_cases_are_registered():
    import bench.cases  # noqa: F401

    ids = {c.id for c in registry.cases()}
    assert {"CPU", "DEPLOY", "B0", "B1", "B2", "B3", "B4", "X1", "A1", "B2-gunicorn", "B4-gunicorn"} <= ids
    assert not {"B2-gunicorn", "B4-gunicorn"} & {c.id for c in registry.cases(smoke=True)}


def test_servers_run_the_requested_workers_on_loopback_one_request_at_a_time():
    args = gunicorn_args(5, "127.0.0.1:8000")
    assert args[args.index("--workers") + 1] == "5"
    assert args[args.index("--bind") + 1] == "127.0.0.1:8000"
    args = granian_args(5, 8000)
    assert args[args.index("--workers") + 1] == "5"
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--blocking-threads") + 1] == "1"  # one DB connection per worker
