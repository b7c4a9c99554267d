"""Test helpers for voting: a running poll, voters, and a parallel runner that closes its connections."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from wenming.voting import engine, services
from wenming.voting.choices import PollStatus
from wenming.voting.identity import Voter
from wenming.voting.models import Poll

ENGINES = ["db"] + (["redis"] if getattr(settings, "VOTE_REDIS_URL", "") else [])


def running_poll(org: Any, *, candidates: int = 3, cap: int = 1, choices: int = 10, **extra: Any) -> Poll:
    now = timezone.now()
    poll = services.poll_create(
        by=None,
        organization=org,
        title="第三届最美快递员网络投票",
        opens_at=extra.pop("opens_at", now - timedelta(hours=1)),
        closes_at=extra.pop("closes_at", now + timedelta(hours=2)),
        ballots_per_day=cap,
        choices_per_ballot=choices,
        **extra,
    )
    for i in range(candidates):
        services.candidate_add(
            by=None, poll=poll, name=f"候选人{i + 1}", unit="顺丰沈阳和平营业部", story="事迹", consent=True
        )
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.SCHEDULED)
    engine.forget_rules(poll.pk)
    poll.refresh_from_db()
    return poll


def voter(n: int = 1, *, new: bool = False) -> Voter:
    now = int(time.time())
    return Voter(provider="sms", key=f"{n:064x}", verified_at=now - 30, first_seen_at=now if new else now - 86400 * 30)


def parallel(fn: Callable[[int], Any], n: int, *, workers: int = 16) -> list[Any]:
    """Run ``fn(i)`` for i in range(n) on ``workers`` threads started behind a barrier; results or exceptions."""
    barrier = threading.Barrier(workers)
    results: list[Any] = [None] * n
    chunks = [range(w, n, workers) for w in range(workers)]

    def run(indexes: range) -> None:
        try:
            barrier.wait(timeout=30)
            for i in indexes:
                try:
                    results[i] = fn(i)
                except Exception as exc:  # kept: the test inspects refusals
                    results[i] = exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, chunks))
    return results


def drain(poll: Poll) -> None:
    if engine.engine() == "redis":
        engine.flush(poll.pk)
    engine.seal(poll.pk, settle=timedelta(0))
