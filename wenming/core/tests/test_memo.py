"""core.memo: the per-process memos of the public hot paths (a change elsewhere is seen within ttl)."""

from __future__ import annotations

from wenming.core import memo
from wenming.core.memo import ProcessMemo


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_loaded_once_until_its_time_is_up(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(memo.time, "monotonic", clock)
    m = ProcessMemo[int]("t.ttl", ttl=5.0)
    loads = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert m.get("k", load) == 1
    clock.now += 4.9
    assert m.get("k", load) == 1 and len(loads) == 1
    clock.now += 0.2  # past the ttl: read again
    assert m.get("k", load) == 2 and len(loads) == 2


def test_keep_false_is_not_remembered_and_forget_drops_at_once():
    m = ProcessMemo[int | None]("t.keep", ttl=60.0)
    assert m.get("gone", lambda: None, keep=lambda v: v is not None) is None
    assert m.peek("gone") is None and len(m) == 0
    m.put("a", 1)
    m.put("b", 2)
    m.forget("a")
    assert m.peek("a") is None and m.peek("b") == 2
    memo.forget_all()
    assert m.peek("b") is None


def test_the_memo_is_bounded():
    m = ProcessMemo[int]("t.bound", ttl=60.0, max_entries=3)
    for i in range(10):
        m.put(i, i)
        assert len(m) <= 3
    assert m.peek(9) == 9
