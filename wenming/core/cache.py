"""The Redis cache, made survivable: an outage turns cache calls into misses instead of 500s.

Nothing the platform keeps only in the cache is authoritative: sessions are ``cached_db`` (the database
holds them), filter choices and the workday calendar are recomputed from the database. So while Redis
is down every read is a miss, every write is dropped with one warning, and signed-in pages keep working
from the database. After a failure the cache is skipped for ``RETRY_AFTER`` seconds (a small circuit
breaker), so a dead or black-holed Redis costs one short timeout, not one per call.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("wenming.cache")
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
SOCKET_TIMEOUT = 0.5  # seconds; a cache that slow is treated as down


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose operations degrade to a miss (read) or a no-op (write) while Redis is down."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}
        options.update(params.get("OPTIONS", {}))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._errors = _redis_errors()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, name: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.available:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except self._errors as exc:
            with self._lock:
                first = self.available
                self._down_until = time.monotonic() + RETRY_AFTER
            if first:
                logger.warning("Redis 缓存不可用（%s），%s 秒内按未命中处理：%s", name, RETRY_AFTER, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
