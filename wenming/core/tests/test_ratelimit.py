"""The one rate limiter on the ``shared`` cache (files shared by processes here, Redis on the PostgreSQL leg)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

from wenming.core import ratelimit


@pytest.fixture
def n():
    """A limiter name of this test alone (the cache may be a Redis shared with other test runs)."""
    prefix = uuid.uuid4().hex[:8]
    return lambda name: f"{name}.{prefix}"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(1_800_000.0)  # a window boundary for 3600 and 600
    monkeypatch.setattr(ratelimit.time, "time", c)
    return c


def test_each_key_has_its_own_limit_and_the_first_over_blocks(clock, n):
    keys = [("phone", "13800000000", 2, 3600), ("ip", "192.0.2.1", 5, 3600)]
    assert ratelimit.limit(n("t.otp"), keys).allowed
    assert ratelimit.limit(n("t.otp"), keys).allowed  # the 2nd of 2 is still allowed
    third = ratelimit.limit(n("t.otp"), keys)
    assert third.blocked and third.exceeded == ("phone",)
    assert third.counts == {"phone": 3.0, "ip": 3.0}
    # another phone from the same address still counts towards the address
    other = [("phone", "13900000000", 2, 3600), ("ip", "192.0.2.1", 5, 3600)]
    assert ratelimit.limit(n("t.otp"), other).allowed
    assert ratelimit.limit(n("t.otp"), other).allowed
    assert ratelimit.limit(n("t.otp"), other).exceeded == ("phone", "ip")


def test_peek_counts_nothing_and_blocks_once_the_limit_is_reached(clock, n):
    keys = [("ip", "192.0.2.9", 3, 600)]
    for _ in range(3):
        assert not ratelimit.peek(n("t.fail"), keys).blocked
        ratelimit.hit(n("t.fail"), keys)
    assert ratelimit.peek(n("t.fail"), keys).blocked
    assert ratelimit.peek(n("t.fail"), keys).counts == {"ip": 3.0}


def test_fixed_window_starts_again_and_reports_retry_after(clock, n):
    keys = [("ip", "192.0.2.2", 1, 600)]
    clock.now += 100
    ratelimit.hit(n("t.win"), keys)
    refused = ratelimit.limit(n("t.win"), keys)
    assert refused.blocked and refused.retry_after == 500
    clock.now += 500  # next window
    assert ratelimit.limit(n("t.win"), keys).allowed


def test_sliding_window_weighs_the_previous_window(clock, n):
    keys = [("user", "7", 10, 600)]
    for _ in range(10):
        ratelimit.hit(n("t.slide"), keys, sliding=True)
    clock.now += 600 + 150  # a quarter into the next window: 3/4 of the 10 still count
    d = ratelimit.peek(n("t.slide"), keys, sliding=True)
    assert d.counts["user"] == pytest.approx(7.5)
    assert not d.blocked
    clock.now += 300  # three quarters in: a quarter of them count
    assert ratelimit.peek(n("t.slide"), keys, sliding=True).counts["user"] == pytest.approx(2.5)
    # a fixed window would have forgotten them entirely
    assert ratelimit.peek(n("t.slide"), keys).counts["user"] == 0


def test_reset_forgets_the_counts(clock, n):
    keys = [("phone", "13800000001", 1, 3600)]
    ratelimit.hit(n("t.reset"), keys)
    ratelimit.hit(n("t.reset"), keys)
    assert ratelimit.peek(n("t.reset"), keys).blocked
    ratelimit.reset(n("t.reset"), keys)
    assert not ratelimit.peek(n("t.reset"), keys).blocked


def test_concurrent_hits_are_counted_exactly_once_each(n):
    keys = [("ip", "198.51.100.4", 100, 3600)]

    def one(_):
        return ratelimit.hit(n("t.race"), keys).counts["ip"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = list(pool.map(one, range(200)))
    assert sorted(seen) == [float(n) for n in range(1, 201)]  # no two requests saw the same number
    assert ratelimit.peek(n("t.race"), keys).counts["ip"] == 200


def test_cache_keys_never_hold_the_value_in_clear(clock, n):
    phone = "13812345678"
    ratelimit.hit(n("t.pii"), [("phone", phone, 5, 3600)])
    key = ratelimit._key(n("t.pii"), "phone", phone, 3600, int(clock.now // 3600))
    assert phone not in key
    assert caches["shared"].get(key) == 1


def _hits_in_a_process(name: str, count: int) -> list[float]:
    # a fresh process, as a granian worker is: its own cache connections, nothing shared in memory
    from django.core.cache import caches as child_caches

    child_caches["shared"].close()
    return [ratelimit.hit(name, [("ip", "192.0.2.9", 10_000, 3600)]).counts["ip"] for _ in range(count)]


def test_worker_processes_share_one_count(n):
    """The embedded profile runs several worker processes: they count on one counter, atomically."""
    import multiprocessing

    name = n("t.procs")
    with multiprocessing.get_context("fork").Pool(4) as pool:
        seen = [c for part in pool.starmap(_hits_in_a_process, [(name, 25)] * 4) for c in part]
    assert sorted(seen) == [float(i) for i in range(1, 101)]
    assert ratelimit.peek(name, [("ip", "192.0.2.9", 10_000, 3600)]).counts["ip"] == 100


def test_anchored_window_starts_at_the_first_hit(clock, n):
    keys = [("ip", "192.0.2.3", 3, 3600)]
    clock.now += 1800  # half-way through a clock hour
    for _ in range(3):
        ratelimit.hit(n("t.anchor"), keys, anchored=True)
    assert ratelimit.peek(n("t.anchor"), keys, anchored=True).blocked
    clock.now += 3599  # the clock hour has turned; the window of the first hit has not
    assert ratelimit.peek(n("t.anchor"), keys, anchored=True).blocked
    clock.now += 2
    assert not ratelimit.peek(n("t.anchor"), keys, anchored=True).blocked
    assert ratelimit.hit(n("t.anchor"), keys, anchored=True).counts["ip"] == 1


def test_several_keys_are_counted_in_one_step(n):
    keys = [("ip-outlet", "203.0.113.8:42", 3, 3600), ("ip", "203.0.113.8", 100, 3600)]
    counts = [ratelimit.hit(n("t.many"), keys).counts for _ in range(4)]
    assert [c["ip-outlet"] for c in counts] == [1.0, 2.0, 3.0, 4.0]
    assert [c["ip"] for c in counts] == [1.0, 2.0, 3.0, 4.0]
    assert ratelimit.peek(n("t.many"), keys).exceeded == ("ip-outlet",)


def test_a_window_counter_keeps_the_expiry_it_was_created_with(n):
    """``incr_windows`` must not stretch a window on every hit (the file cache and Redis alike)."""
    import time

    cache = caches["shared"]
    key = f"rl:{n('t.expiry')}"
    assert cache.incr_windows([(key, 1, 2)]) == [1]
    time.sleep(1.2)
    assert cache.incr_windows([(key, 1, 2)]) == [2]  # still the first window
    time.sleep(1.2)  # 2.4 s after creation: gone, although the last hit was 1.2 s ago
    assert cache.incr_windows([(key, 5, 2)]) == [5]
