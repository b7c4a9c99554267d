"""Background jobs of voting: flush the fast path, seal the ledger, reconcile the board, close polls.

``manage.py vote_flush`` runs ``flush_once`` every 2 s in production (one worker per deployment; a
cache lock per poll keeps a second one idle); the scheduler runs the same jobs every minute as a
safety net, so nothing waits longer than a minute even without the worker.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

from . import anomalies, engine, services
from .choices import PollStatus
from .models import Poll

logger = logging.getLogger("wenming.voting")
LOCK_TTL = 120  # seconds


def _active_polls() -> list[int]:
    return list(Poll.objects.filter(status__in=[PollStatus.SCHEDULED, PollStatus.PAUSED]).values_list("pk", flat=True))


def flush_once() -> dict[str, Any]:
    """Flush, reconcile and seal every poll taking votes; returns {poll id: ballots flushed}."""
    done: dict[str, Any] = {}
    for poll_id in _active_polls():
        lock = f"voting:flush-lock:{poll_id}"
        if not cache.add(lock, 1, LOCK_TTL):
            continue  # another worker has this poll
        try:
            flushed = 0
            if engine.engine() == "redis":
                flushed = engine.flush(poll_id)
                engine.reconcile_board(poll_id)
            engine.seal(poll_id)
            done[str(poll_id)] = flushed
        finally:
            cache.delete(lock)
    return done


def scan_anomalies() -> int:
    return len(anomalies.scan())


def close_due() -> int:
    return len(services.close_due_polls())


def verify_integrity(_using: str) -> tuple[int, list[str]]:
    """Integrity check (``restore_drill``): every poll's seal chain."""
    problems: list[str] = []
    count = 0
    for poll_id in Poll.objects.values_list("pk", flat=True):
        count += 1
        problems += [f"投票 {poll_id}：{p}" for p in engine.verify_ledger(poll_id)]
    return count, problems
