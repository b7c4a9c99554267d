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
    cache = _cache()
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired or evicted between add and incr: start again
        cache.add(key, 0, ttl)
        return cache.incr(key, amount)


def _count(
    name: str, spec: KeySpec, now: float, sliding: bool, amount: int, anchored: bool = False
) -> tuple[float, int]:
    """(effective count, seconds until the current window ends) after adding ``amount`` (may be 0)."""
    cache = _cache()
    kind, value, _limit, window = spec
    if anchored:  # one counter, expiring ``window`` seconds after its first hit
        key = _key(name, kind, value, window, -1)
        return float(_incr(key, amount, window) if amount else int(cache.get(key, 0))), window
    index = int(now // window)
    current_key = _key(name, kind, value, window, index)
    ttl = window * 2 + 1 if sliding else window + 1
    current = _incr(current_key, amount, ttl) if amount else int(cache.get(current_key, 0))
    remaining = int(math.ceil((index + 1) * window - now))
    if not sliding:
        return float(current), remaining
    previous = int(cache.get(_key(name, kind, value, window, index - 1), 0))
    overlap = 1.0 - (now - index * window) / window
    return current + previous * overlap, remaining


def _decide(
    name: str, keys: Sequence[KeySpec], *, amount: int, sliding: bool, inclusive: bool, anchored: bool = False
) -> Decision:
    now = time.time()
    counts: dict[str, float] = {}
    exceeded: list[str] = []
    retry = 0
    for spec in keys:
        kind, _value, limit_, _window = spec
        n, remaining = _count(name, spec, now, sliding, amount, anchored)
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
    for kind, value, _limit, window in keys:
        index = int(now // window)
        _cache().delete_many(
            [
                _key(name, kind, value, window, index),
                _key(name, kind, value, window, index - 1),
                _key(name, kind, value, window, -1),
            ]
        )
