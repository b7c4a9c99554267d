"""ONE rate limiter: counters in fixed (or sliding) windows on the Django cache.

The ``shared`` cache alias: Redis in production, ``core.cache.SharedFileCache`` in the embedded profile
(files every worker process sees, with locked increments; LocMem would give each process its own
count). Every counter is incremented atomically (``cache.add`` creates it with its expiry,
``cache.incr`` counts), so two concurrent requests never both see the same number. Counter keys carry a keyed hash of the value,
never a phone number or an address in clear.

Usage — several keys at once, the request is refused as soon as one of them is over its limit::

    keys = [("phone", phone, 5, 3600), ("ip", ip, 20, 3600)]   # (kind, value, limit, window seconds)
    if ratelimit.peek("votes.otp", keys).blocked:              # before the attempt: would it be refused?
        ...429...
    decision = ratelimit.hit("votes.otp", keys)                # count one attempt (or a failure)
    decision = ratelimit.limit("votes.otp", keys)              # hit, then answer whether it was allowed

``sliding=True`` weighs the previous window by the part of it that still overlaps the last ``window``
seconds (the usual two-counter approximation of a sliding log). ``anchored=True`` starts the window at
the first hit instead of the clock (a counter that lives ``window`` seconds from its first hit, e.g.
"20 failed logins within an hour of the first").
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils.crypto import salted_hmac

KeySpec = tuple[str, str, int, int]  # (kind, value, limit, window in seconds)


@dataclass(frozen=True)
class Decision:
    """The outcome for all keys: counts per kind, the kinds over their limit, seconds until a retry helps."""

    counts: dict[str, float] = field(default_factory=dict)
    exceeded: tuple[str, ...] = ()
    retry_after: int = 0

    @property
    def blocked(self) -> bool:
        return bool(self.exceeded)

    @property
    def allowed(self) -> bool:
        return not self.exceeded


def _cache() -> BaseCache:
    return caches["shared" if "shared" in settings.CACHES else "default"]


def _digest(value: str) -> str:
    return salted_hmac("wenming.core.ratelimit", str(value), algorithm="sha256").hexdigest()[:32]


def _key(name: str, kind: str, value: str, window: int, index: int) -> str:
    return f"rl:{name}:{kind}:{_digest(value)}:{window}:{index}"


def _incr(key: str, amount: int, ttl: int) -> int:
    return _incr_many([(key, amount, ttl)])[0]


def _incr_many(items: Sequence[tuple[str, int, int]]) -> list[int]:
    """Add to each counter (created with its ttl): the platform's caches do all of them in one atomic
    step (wenming/core/cache.py ``incr_windows``: one Redis round trip, or one file lock each)."""
    cache = _cache()
    if hasattr(cache, "incr_windows"):
        return cache.incr_windows(items)
    out = []
    for key, amount, ttl in items:
        cache.add(key, 0, ttl)
        try:
            out.append(cache.incr(key, amount))
        except ValueError:  # expired or evicted between add and incr: start again
            cache.add(key, 0, ttl)
            out.append(cache.incr(key, amount))
    return out


def _window_key(name: str, spec: KeySpec, now: float, sliding: bool) -> tuple[str, int]:
    """The counter of the window ``now`` falls in, and the seconds it lives."""
    kind, value, _limit, window = spec
    ttl = window * 2 + 1 if sliding else window + 1
    return _key(name, kind, value, window, int(now // window)), ttl


def _count(
    name: str,
    spec: KeySpec,
    now: float,
    sliding: bool,
    amount: int,
    anchored: bool = False,
    current: int | None = None,
) -> tuple[float, int]:
    """(effective count, seconds until the current window ends). ``current``: the window's counter after
    ``_decide`` added ``amount`` to it (``None`` when nothing was added: it is read)."""
    cache = _cache()
    kind, value, _limit, window = spec
    if anchored:
        return _anchored(name, spec, now, amount)
    index = int(now // window)
    if current is None:
        current = int(cache.get(_window_key(name, spec, now, sliding)[0], 0))
    remaining = int(math.ceil((index + 1) * window - now))
    if not sliding:
        return float(current), remaining
    previous = int(cache.get(_key(name, kind, value, window, index - 1), 0))
    overlap = 1.0 - (now - index * window) / window
    return current + previous * overlap, remaining


def _anchored(name: str, spec: KeySpec, now: float, amount: int) -> tuple[float, int]:
    """A window that opens at the first hit: its start time is stored, the counter is keyed by it.

    The start is compared with the clock as well as left to expire (a cache's own expiry may run on
    another clock, e.g. the Redis server's), so the window always ends ``window`` seconds after it opened.
    """
    cache = _cache()
    kind, value, _limit, window = spec
    start_key = _key(name, kind, value, window, -1)
    start = cache.get(start_key)
    if start is None or now - float(start) >= window:
        if not amount:
            return 0.0, 0
        if start is None:
            cache.add(start_key, now, window + 1)
        else:  # expired by the clock, not yet by the cache
            cache.set(start_key, now, window + 1)
        start = cache.get(start_key, now)
    start = float(start)
    counter = f"{start_key}:{int(start * 1000)}"
    remaining = max(int(math.ceil(start + window - now)), 0)
    n = _incr(counter, amount, window + 1) if amount else int(cache.get(counter, 0))
    return float(n), remaining


def _decide(
    name: str, keys: Sequence[KeySpec], *, amount: int, sliding: bool, inclusive: bool, anchored: bool = False
) -> Decision:
    now = time.time()
    counts: dict[str, float] = {}
    exceeded: list[str] = []
    retry = 0
    added: list[int | None] = [None] * len(keys)
    if amount and not anchored and keys:  # every counter in one step
        windows = [_window_key(name, spec, now, sliding) for spec in keys]
        added = list(_incr_many([(key, amount, ttl) for key, ttl in windows]))
    for spec, current in zip(keys, added, strict=True):
        kind, _value, limit_, _window = spec
        n, remaining = _count(name, spec, now, sliding, amount, anchored, current)
        counts[kind] = n
        over = n > limit_ if inclusive else n >= limit_
        if over:
            exceeded.append(kind)
            retry = max(retry, remaining)
    return Decision(counts=counts, exceeded=tuple(exceeded), retry_after=retry)


def peek(name: str, keys: Sequence[KeySpec], *, sliding: bool = False, anchored: bool = False) -> Decision:
    """Would one more attempt be refused? (nothing is counted; blocked once a count reached its limit)."""
    return _decide(name, keys, amount=0, sliding=sliding, inclusive=False, anchored=anchored)


def hit(
    name: str, keys: Sequence[KeySpec], *, cost: int = 1, sliding: bool = False, anchored: bool = False
) -> Decision:
    """Count ``cost`` against every key; blocked when a count went over its limit with this hit."""
    return _decide(name, keys, amount=cost, sliding=sliding, inclusive=True, anchored=anchored)


def limit(name: str, keys: Sequence[KeySpec], *, cost: int = 1, sliding: bool = False) -> Decision:
    """Count the attempt and tell whether it is allowed (the ``limit``-th attempt in a window still is)."""
    return hit(name, keys, cost=cost, sliding=sliding)


def reset(name: str, keys: Sequence[KeySpec]) -> None:
    """Forget the current and previous window of every key (e.g. after a successful verification)."""
    now = time.time()
    cache = _cache()
    for kind, value, _limit, window in keys:
        index = int(now // window)
        start_key = _key(name, kind, value, window, -1)
        start = cache.get(start_key)
        doomed = [_key(name, kind, value, window, index), _key(name, kind, value, window, index - 1), start_key]
        if start is not None:
            doomed.append(f"{start_key}:{int(float(start) * 1000)}")
        cache.delete_many(doomed)
