"""The Redis cache, made survivable: an outage turns cache calls into misses instead of 500s; and the
embedded profile's cache shared by processes (``SharedFileCache``, for the rate limiter).

Nothing the platform keeps only in the cache is authoritative: sessions are ``cached_db`` (the database
holds them), filter choices and the workday calendar are recomputed from the database. So while Redis
is down every read is a miss, every write is dropped with one warning, and signed-in pages keep working
from the database. After a failure the cache is skipped for ``RETRY_AFTER`` seconds (a small circuit
breaker), so a dead or black-holed Redis costs one short timeout, not one per call.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.files import locks

from wenming.core import resp

logger = logging.getLogger("wenming.cache")
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
SOCKET_TIMEOUT = 0.5  # seconds; a cache that slow is treated as down
# ``incr_windows`` on Redis. KEYS: the counters; ARGV: each one's amount and ttl in turn. A script runs
# atomically; ``EXPIRE … NX`` leaves a counter's first expiry alone (a window is never stretched).
INCR_WINDOWS_LUA = """
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
  redis.call('EXPIRE', key, ARGV[2 * i], 'NX')
end
return out
"""


# Error replies that say the server cannot take the call now, not that the call was wrong: it cannot
# persist (MISCONF), it is a replica (READONLY, as after a failover that left the address on the old
# primary), it is out of memory, loading its data or failing over. The cache treats them as an outage;
# any other error reply (WRONGTYPE, a bad script) is a bug and is raised.
SERVER_STATE_CODES = frozenset(
    {"MISCONF", "READONLY", "OOM", "LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "BUSY"}
)


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def _reply_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ResponseError, resp.ReplyError)


def server_state_error(exc: BaseException) -> bool:
    """Whether the error reply ``exc`` (redis-py's or ``core.resp``'s) is one of :data:`SERVER_STATE_CODES`.

    redis-py strips the code of the replies it maps to a class of its own (``ReadOnlyError``,
    ``OutOfMemoryError`` …) and keeps it in ``status_code``; other replies keep it as their first word."""
    code = getattr(exc, "status_code", None) or (str(exc).split(" ", 1)[0] if str(exc) else "")
    return code in SERVER_STATE_CODES


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` around the pool on *every* call (about 0.1 ms of
    Python each: eight of them were a quarter of a survey submit). A ``redis.Redis`` is thread-safe and
    holds no connection of its own, so one per pool is kept and reused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose operations degrade to a miss (read) or a no-op (write) while Redis is down."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}
        options.update(params.get("OPTIONS", {}))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        self._scripts: dict[int, Any] = {}  # id(redis client) → its registered INCR_WINDOWS_LUA
        self._fast_client: resp.Client | None | bool = False  # False: not decided yet
        self._fast_script = resp.Script(INCR_WINDOWS_LUA)
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._errors = _redis_errors()
        self._reply_errors = _reply_errors()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, name: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        """``RedisCache.<name>`` (or this class's own ``_<name>``), degraded to ``fallback`` while down."""
        if not self.available:
            return fallback
        try:
            fn = getattr(self, name) if name.startswith("_") else getattr(super(), name)
            return fn(*args, **kwargs)
        except self._reply_errors as exc:
            if not server_state_error(exc):
                raise
            return self._went_down(name, exc, fallback)
        except self._errors as exc:
            return self._went_down(name, exc, fallback)

    def _went_down(self, name: str, exc: BaseException, fallback: Any) -> Any:
        with self._lock:
            first = self.available
            self._down_until = time.monotonic() + RETRY_AFTER
        if first:
            logger.warning("Redis 缓存不可用（%s），%s 秒内按未命中处理：%s", name, RETRY_AFTER, exc)
        return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def _fast(self) -> resp.Client | None:
        """The minimal RESP client (core.resp) for the limiter's one ``EVALSHA``, on the write server."""
        if self._fast_client is False:
            url = self._servers[0]
            self._fast_client = (
                resp.Client(url, timeout=SOCKET_TIMEOUT, connect_timeout=SOCKET_TIMEOUT)
                if resp.supports(url) and set(self._options) <= {"socket_connect_timeout", "socket_timeout"}
                else None  # TLS, a socket path or client options of the deployment's own: redis-py
            )
        return self._fast_client

    def _incr_windows(self, items: list[tuple[str, int, int]], version: Any) -> list[int]:
        fast = self._fast()
        if fast is not None:
            keys = [self.make_and_validate_key(key, version=version) for key, _a, _t in items]
            args = [x for _k, amount, ttl in items for x in (amount, ttl)]
            return [int(n) for n in self._fast_script.run(fast, keys, args)]
        client = self._cache.get_client(None, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(INCR_WINDOWS_LUA)
        keys = [self.make_and_validate_key(key, version=version) for key, _a, _t in items]
        args = [x for _k, amount, ttl in items for x in (amount, ttl)]
        return [int(n) for n in script(keys=keys, args=args)]

    def incr_windows(self, items: Any, version: Any = None) -> list[int]:
        """Add ``amount`` to each counter ``key`` (created at 0 with ``ttl`` seconds to live; an existing
        counter keeps its expiry), all in one round trip and one atomic step: one ``EVALSHA`` of
        :data:`INCR_WINDOWS_LUA` (``INCRBY`` + ``EXPIRE NX`` each). ``MULTI`` … ``EXEC`` did the same with
        2 + 2n commands and replies to pack and parse, a third of the limiter's cost on a survey submit.
        While Redis is down: each ``amount`` (the counters as if they had just started)."""
        items = list(items)
        return self._call("_incr_windows", [a for _k, a, _t in items], items, version)

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


class SharedFileCache(FileBasedCache):
    """The cache that the embedded profile's worker processes share (rate-limit counters: ADR 0010).

    Django's ``FileBasedCache`` is shared by every process on the host, but its ``add`` and ``incr`` are
    a read and a write apart, and ``incr`` rewrites the entry with the *default* timeout (a counter's
    window would stretch on every hit). Here ``add`` and ``incr`` run under an exclusive ``flock`` (one
    of 64 lock files, chosen by the key), ``incr`` keeps the entry's expiry, and every write is a
    temporary file renamed over the entry, so a reader never sees half a file.
    """

    STRIPES = 64

    def _lock_path(self, fname: str) -> str:
        stripe = int(os.path.basename(fname)[:8], 16) % self.STRIPES
        return os.path.join(self._dir, "locks", f"{stripe:02d}.lock")

    @contextmanager
    def _locked(self, fname: str) -> Iterator[None]:
        path = self._lock_path(fname)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(path, "a+b") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock)

    def _replace(self, fname: str, expiry: float | None, value: Any) -> None:
        self._createdir()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(tmp_path, fname)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(tmp_path)
            raise

    def _read(self, fname: str) -> tuple[bool, float | None, Any]:
        """(present and unexpired, expiry, value)."""
        try:
            with open(fname, "rb") as f:
                try:
                    expiry = pickle.load(f)
                except EOFError:
                    return False, None, None
                if expiry is not None and expiry < time.time():
                    return False, None, None
                return True, expiry, pickle.loads(zlib.decompress(f.read()))
        except FileNotFoundError:
            return False, None, None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            present, _, _ = self._read(fname)
            if present:
                return False
            self._cull()
            self._replace(fname, self.get_backend_timeout(timeout), value)
            return True

    def incr_windows(self, items: Any, version: Any = None) -> list[int]:
        """``ResilientRedisCache.incr_windows``: each counter created with its ttl, under its file lock."""
        out = []
        for key, amount, ttl in items:
            fname = self._key_to_file(key, version)
            with self._locked(fname):
                present, expiry, value = self._read(fname)
                if not present:
                    self._cull()
                    expiry, value = self.get_backend_timeout(ttl), 0
                out.append(value + amount)
                self._replace(fname, expiry, value + amount)
        return out

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            present, expiry, value = self._read(fname)
            if not present:
                raise ValueError(f"Key '{key}' not found")
            new = value + delta
            self._replace(fname, expiry, new)
            return new
