"""A minimal RESP2 client for the two hot commands: the vote's ``EVALSHA`` (quality.md V1) and the rate
limiter's (``core.cache.ResilientRedisCache.incr_windows``, every survey submit: S1).

redis-py spends about as long in its own layers (retry object, connection pool, command packing, the
parser classes) as the loopback round trip itself; for the one call every vote makes, this client packs
the command in one ``bytes.join``, writes it with one ``sendall`` and reads the reply through a buffered
socket file. Everything else (the flush, the leaderboard, the cache's other calls) keeps redis-py.

One connection per process and thread, opened on first use and reopened after a failure (a forked worker
never shares its parent's socket). A call that fails on the wire is sent once more on a new connection,
as redis-py's default retry does; the callers' scripts are idempotent (the vote script answers the same
submission key with "already recorded"). Errors: ``OSError`` for the network (timeouts included),
``ReplyError`` for an error reply, ``NoScriptError`` when the server does not know the script.
Only ``redis://`` URLs (TCP, optional user, password and database, read as redis-py reads them);
``supports`` says when to keep redis-py (``rediss://``, ``unix://``).
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any
from urllib.parse import unquote, urlparse


class ReplyError(Exception):
    """The server answered with an error reply (``-ERR …``)."""


class NoScriptError(ReplyError):
    """``-NOSCRIPT``: the script must be loaded first (``SCRIPT LOAD``)."""


def supports(url: str) -> bool:
    return urlparse(url).scheme == "redis"


def _pack(args: tuple[Any, ...]) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(parts)


class _Connection:
    def __init__(self, client: Client) -> None:
        self.sock = socket.create_connection((client.host, client.port), timeout=client.connect_timeout)
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock.settimeout(client.timeout)
            self.file = self.sock.makefile("rb")
            if client.password is not None:
                auth = ("AUTH", client.username, client.password) if client.username else ("AUTH", client.password)
                self.call(auth)
            if client.db:
                self.call(("SELECT", client.db))
        except BaseException:
            self.sock.close()
            raise

    def call(self, args: tuple[Any, ...]) -> Any:
        self.sock.sendall(_pack(args))
        return self._read()

    def _read(self) -> Any:
        line = self.file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("Redis 连接已关闭")
        kind, body = line[:1], line[1:-2]
        if kind == b":":
            return int(body)
        if kind == b"$":
            n = int(body)
            if n < 0:
                return None
            data = self.file.read(n + 2)
            if len(data) != n + 2:
                raise ConnectionError("Redis 连接已关闭")
            return data[:-2]
        if kind == b"*":
            n = int(body)
            return None if n < 0 else [self._read() for _ in range(n)]
        if kind == b"+":
            return body
        if kind == b"-":
            text = body.decode("utf-8", "replace")
            raise (NoScriptError if text.startswith("NOSCRIPT") else ReplyError)(text)
        raise ConnectionError(f"Redis 应答无法解析：{line[:20]!r}")

    def close(self) -> None:
        try:
            self.file.close()
        finally:
            self.sock.close()


class Script:
    """A Lua script run by ``EVALSHA`` on a :class:`Client`: loaded on first use, and again after ``NOSCRIPT``
    (a restarted or flushed server). The SHA is the source's, the same for every server and client."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha: str | None = None

    def run(self, client: Client, keys: list[str], args: list[Any]) -> Any:
        if self.sha is None:
            self.sha = client.call("SCRIPT", "LOAD", self.source).decode()
        try:
            return client.call("EVALSHA", self.sha, len(keys), *keys, *args)
        except NoScriptError:
            self.sha = client.call("SCRIPT", "LOAD", self.source).decode()
            return client.call("EVALSHA", self.sha, len(keys), *keys, *args)


class Client:
    """``Client(url).call("EVALSHA", sha, 1, key, arg)``; thread-safe (one connection per thread)."""

    def __init__(self, url: str, *, timeout: float = 1.0, connect_timeout: float = 0.5) -> None:
        u = urlparse(url)
        if u.scheme != "redis":
            raise ValueError(f"只支持 redis:// 地址：{u.scheme}://")
        self.host = u.hostname or "127.0.0.1"
        self.port = u.port or 6379
        self.db = int(u.path.lstrip("/") or 0)
        self.username = unquote(u.username) if u.username else None
        self.password = unquote(u.password) if u.password is not None else None
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._local = threading.local()

    def _connection(self) -> _Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = _Connection(self)  # a forked child opens its own; the parent's socket is left alone
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None and self._local.pid == os.getpid():
            conn.close()

    def call(self, *args: Any) -> Any:
        for attempt in (1, 2):
            try:
                return self._connection().call(args)
            except ReplyError:
                raise
            except (OSError, ValueError):  # ConnectionError and socket.timeout are OSErrors
                self._drop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._drop()
