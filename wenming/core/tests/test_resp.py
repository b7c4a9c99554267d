"""core.resp, the minimal RESP client of the vote's EVALSHA, against the real Redis of the second leg."""

from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest
from django.conf import settings

from wenming.core import resp


def test_commands_are_packed_as_resp_arrays_of_bulk_strings():
    assert resp._pack(("EVALSHA", "ab", 2, "k", b"\x00\xff", "投票")) == (
        b"*6\r\n$7\r\nEVALSHA\r\n$2\r\nab\r\n$1\r\n2\r\n$1\r\nk\r\n$2\r\n\x00\xff\r\n$6\r\n" + "投票".encode() + b"\r\n"
    )


def test_only_plain_tcp_urls_are_taken():
    assert resp.supports("redis://127.0.0.1:6379/3")
    assert not resp.supports("rediss://cache.example:6380/0") and not resp.supports("unix:///run/redis.sock")
    c = resp.Client("redis://user:p%40ss@10.0.0.5:6390/7")
    assert (c.host, c.port, c.db, c.username, c.password) == ("10.0.0.5", 6390, 7, "user", "p@ss")
    c = resp.Client("redis://:secret@127.0.0.1")
    assert (c.port, c.db, c.username, c.password) == (6379, 0, None, "secret")
    with pytest.raises(ValueError):
        resp.Client("rediss://127.0.0.1:6380/0")


def test_a_dead_server_is_an_oserror_soon():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: the connection is refused
    client = resp.Client(f"redis://127.0.0.1:{port}/0", connect_timeout=0.5)
    began = time.monotonic()
    with pytest.raises(OSError):
        client.call("PING")
    assert time.monotonic() - began < 3


def _with_redis():
    url = settings.REDIS_URL
    key = f"test:resp:{uuid.uuid4().hex}"
    return url, key


def _replies_of_every_kind():
    import redis

    url, key = _with_redis()
    client = resp.Client(url)
    assert client.call("PING") == b"PONG"
    assert client.call("SET", key, "投票\r\n".encode()) == b"OK"
    assert client.call("GET", key) == "投票\r\n".encode()  # a bulk string may hold CR LF
    assert client.call("GET", key + ":none") is None
    assert client.call("INCRBY", key + ":n", 41) == 41
    assert client.call("EVAL", "return {1, -2, 'x', {3}}", 0) == [1, -2, b"x", [3]]
    with pytest.raises(resp.ReplyError) as err:
        client.call("INCR", key)  # not an integer
    assert not isinstance(err.value, resp.NoScriptError)
    with pytest.raises(resp.NoScriptError):
        client.call("EVALSHA", "0" * 40, 0)
    # the database of the URL is the one written (redis-py reads the same key back)
    assert redis.Redis.from_url(url).get(key + ":n") == b"41"
    client.call("DEL", key, key + ":n")


def _a_killed_connection_is_reopened_and_the_call_sent_again():
    import redis

    url, key = _with_redis()
    client = resp.Client(url)
    client.call("CLIENT", "SETNAME", "resp-test-" + key[-8:])
    admin = redis.Redis.from_url(url)
    killed = admin.client_kill_filter(_id=int(client.call("CLIENT", "ID")))
    assert killed == 1
    assert client.call("INCR", key) == 1  # one retry on a new connection
    assert client.call("INCR", key) == 2
    client.call("DEL", key)


def _one_connection_per_thread():
    url, key = _with_redis()
    client = resp.Client(url)
    ids: list[int] = []

    def run() -> None:
        for _ in range(50):
            client.call("INCR", key)
        ids.append(client.call("CLIENT", "ID"))

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert client.call("GET", key) == b"400" and len(set(ids)) == 8
    client.call("DEL", key)


if getattr(settings, "REDIS_URL", ""):  # the PostgreSQL + Redis leg
    test_replies_of_every_kind = _replies_of_every_kind
    test_a_killed_connection_is_reopened_and_the_call_sent_again = (
        _a_killed_connection_is_reopened_and_the_call_sent_again
    )
    test_one_connection_per_thread = _one_connection_per_thread
