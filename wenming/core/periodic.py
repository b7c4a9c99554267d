"""Periodic jobs without cron: a registry, slot arithmetic, an atomic per-slot claim and the runner.

Apps register their jobs in ``AppConfig.ready()``::

    register_periodic("plans.send_digests", daily_at=time(8, 0), run=send_daily_digests.call)

``manage.py scheduler`` wakes every ~30 s, claims each due job's current *slot* with a conditional
UPDATE on ``PeriodicRun`` (so two schedulers on two app servers never run the same slot twice) and
enqueues ``run_periodic_job`` for the task workers. Slots: ``every`` jobs are aligned to the epoch
(every 15 min → :00, :15, :30, :45), ``daily_at`` jobs to that wall-clock time in Asia/Shanghai. A
slot missed while no scheduler ran is run once when one comes back; older missed slots are not
replayed. Jobs must be idempotent anyway.
"""

from __future__ import annotations

import logging
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import PeriodicRun
from .tasks import task

logger = logging.getLogger("wenming.periodic")

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
QUEUED, RUNNING, OK, FAILED = "queued", "running", "ok", "failed"
ERROR_MAX = 1000


@dataclass(frozen=True)
class PeriodicJob:
    """One registered job: exactly one of ``every`` / ``daily_at`` is set."""

    name: str
    run: Callable[[], Any]
    every: timedelta | None = None
    daily_at: time | None = None

    def slot(self, now: datetime) -> datetime:
        """The start of the slot ``now`` falls in (an aware UTC datetime)."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=UTC)
        assert self.daily_at is not None
        local = now.astimezone(LOCAL_TZ)
        start = datetime.combine(local.date(), self.daily_at, tzinfo=LOCAL_TZ)
        if start > local:
            start = datetime.combine(local.date() - timedelta(days=1), self.daily_at, tzinfo=LOCAL_TZ)
        return start.astimezone(UTC)

    def is_due(self, last_slot: datetime | None, now: datetime) -> bool:
        return last_slot is None or last_slot < self.slot(now)


_REGISTRY: dict[str, PeriodicJob] = {}


def register_periodic(
    name: str, *, every: timedelta | None = None, daily_at: time | None = None, run: Callable[[], Any]
) -> PeriodicJob:
    """Register a job; ``daily_at`` is Asia/Shanghai wall-clock time, ``every`` at least one minute."""
    if (every is None) == (daily_at is None):
        raise ValueError("register_periodic needs exactly one of every= or daily_at=")
    if every is not None and every < timedelta(minutes=1):
        raise ValueError("every= must be at least one minute")
    if daily_at is not None and daily_at.tzinfo is not None:
        raise ValueError("daily_at= is a naive Asia/Shanghai time")
    if len(name) > 100:
        raise ValueError("job name longer than 100 characters")
    job = PeriodicJob(name=name, run=run, every=every, daily_at=daily_at)
    existing = _REGISTRY.get(name)
    if existing is not None and existing != job:
        raise ValueError(f"periodic job {name!r} is already registered")
    _REGISTRY[name] = job
    return job


def unregister_periodic(name: str) -> None:
    """Remove a job (tests register temporary ones)."""
    _REGISTRY.pop(name, None)


def periodic_jobs() -> list[PeriodicJob]:
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def _ensure_row(name: str) -> None:
    if PeriodicRun.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name)
    except IntegrityError:  # another scheduler created it a moment ago
        pass


def claim(job: PeriodicJob, now: datetime | None = None) -> bool:
    """Atomically take ``job``'s current slot; True for exactly one caller per slot across all schedulers."""

    now = now or timezone.now()
    slot = job.slot(now)
    _ensure_row(job.name)
    won = (
        PeriodicRun.objects.filter(name=job.name)
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .update(last_slot=slot, last_status=QUEUED, last_error="")
    )
    return won == 1


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]


def execute(name: str) -> str:
    """Run a registered job here and now, recording start, end and outcome; never raises for job errors."""

    job = _REGISTRY.get(name)
    if job is None:
        PeriodicRun.objects.filter(name=name).update(
            last_status=FAILED, last_error="未注册的定时任务", last_finished_at=timezone.now()
        )
        logger.error("periodic job %s is not registered in this process", name)
        return FAILED
    PeriodicRun.objects.filter(name=name).update(last_status=RUNNING, last_started_at=timezone.now())
    began = _time.monotonic()
    try:
        job.run()
    except Exception as exc:
        PeriodicRun.objects.filter(name=name).update(
            last_status=FAILED, last_error=_error_text(exc), last_finished_at=timezone.now()
        )
        # Only the job name and exception class: messages may quote data.
        logger.error("periodic job %s failed: %s", name, type(exc).__name__)
        return FAILED
    PeriodicRun.objects.filter(name=name).update(last_status=OK, last_error="", last_finished_at=timezone.now())
    logger.info("periodic job %s finished in %.1f s", name, _time.monotonic() - began)
    return OK


@task()
def run_periodic_job(name: str) -> str:
    """The task the scheduler enqueues; a ``db_worker`` runs it."""
    return execute(name)


def run_due(*, now: datetime | None = None, inline: bool = False) -> dict[str, str]:
    """Claim and start every due job; returns ``{name: queued|ok|failed}`` for the jobs this call started.

    ``inline`` runs the jobs in this process instead of enqueuing them. One job's failure (or a failing
    enqueue or claim) is recorded and does not stop the others.
    """

    now = now or timezone.now()
    started: dict[str, str] = {}
    try:
        last = dict(PeriodicRun.objects.values_list("name", "last_slot"))
    except Exception as exc:  # database unreachable: try again on the next tick
        logger.error("periodic scheduler cannot read its state: %s", type(exc).__name__)
        return started
    for job in periodic_jobs():
        if not job.is_due(last.get(job.name), now):
            continue
        try:
            if not claim(job, now):
                continue
        except Exception as exc:
            logger.error("periodic job %s could not be claimed: %s", job.name, type(exc).__name__)
            continue
        if inline:
            started[job.name] = execute(job.name)
            continue
        try:
            run_periodic_job.enqueue(job.name)
        except Exception as exc:
            PeriodicRun.objects.filter(name=job.name).update(
                last_status=FAILED, last_error=_error_text(exc), last_finished_at=timezone.now()
            )
            logger.error("periodic job %s could not be enqueued: %s", job.name, type(exc).__name__)
            started[job.name] = FAILED
            continue
        # With an immediate backend the job already ran; report what it recorded.
        row = PeriodicRun.objects.filter(name=job.name).values_list("last_status", flat=True).first()
        started[job.name] = row or QUEUED
    return started
