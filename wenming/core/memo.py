"""Per-process memos with a time to live: the public hot paths' small, rarely-changing lookups.

A vote or a survey submit reads the same few things on every request — a poll's rules, an outlet's
name and enterprise, the questionnaire that applies, a rendered answer page. Each read from Redis is a
round trip (≈ 0.1–0.2 ms of client work); from the database, more. A ``ProcessMemo`` keeps them in the
worker's memory for ``ttl`` seconds, so a change made elsewhere is seen by every process within ``ttl``
(the staleness each use states), and a change made in this process is seen at once by ``forget``.

Bounded: past ``max_entries`` the memo is emptied and refilled (these are hot sets of a few hundred
keys; a simple reset is cheaper than LRU bookkeeping on every hit). ``forget_all`` empties every memo
(the test suite calls it between tests, as it clears the caches).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_ALL: weakref.WeakSet[ProcessMemo] = weakref.WeakSet()


class ProcessMemo(Generic[V]):
    def __init__(self, name: str, *, ttl: float, max_entries: int = 5000) -> None:
        self.name = name
        self.ttl = ttl
        self.max_entries = max_entries
        self._data: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _ALL.add(self)

    def get(self, key: Hashable, load: Callable[[], V], *, keep: Callable[[V], bool] | None = None) -> V:
        """The memo's value for ``key``, or ``load()`` remembered (unless ``keep(value)`` is false)."""
        hit = self._data.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        value = load()
        if keep is None or keep(value):
            self.put(key, value)
        return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.clear()
            self._data[key] = (time.monotonic() + self.ttl, value)

    def peek(self, key: Hashable) -> V | None:
        hit = self._data.get(key)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def forget(self, key: Hashable | None = None) -> None:
        with self._lock:
            if key is None:
                self._data.clear()
            else:
                self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


def forget_all() -> None:
    for memo in list(_ALL):
        memo.forget()
