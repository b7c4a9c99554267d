"""Periodic jobs: slot arithmetic, the once-per-slot claim across schedulers, the scheduler command."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wenming.core.models import PeriodicRun
from wenming.core.periodic import (
    claim,
    periodic_jobs,
    register_periodic,
    run_due,
    unregister_periodic,
)
from wenming.workbench.models import Notification

TZ = ZoneInfo("Asia/Shanghai")


def local(y, m, d, h=0, mi=0, s=0):
    return datetime(y, m, d, h, mi, s, tzinfo=TZ)


def travel(dt: datetime):
    return time_machine.travel(dt, tick=False)


@pytest.fixture
def temp_jobs():
    """Register throw-away jobs for one test; the app jobs stay registered."""
    names: list[str] = []

    def _register(name, **kw):
        names.append(name)
        return register_periodic(name, **kw)

    yield _register
    for name in names:
        unregister_periodic(name)


def test_the_platform_jobs_are_registered_with_their_schedules():
    jobs = {j.name: j for j in periodic_jobs()}
    assert jobs["plans.send_digests"].daily_at == time(8, 0)
    assert jobs["activities.auto_checkout"].every == timedelta(minutes=15)
    assert jobs["imports.purge_expired"].every == timedelta(minutes=10)
    assert jobs["exports.purge_expired_files"].every == timedelta(hours=1)


def test_register_rejects_ambiguous_or_duplicate_jobs(temp_jobs):
    with pytest.raises(ValueError):
        register_periodic("x.none", run=lambda: None)
    with pytest.raises(ValueError):
        register_periodic("x.both", every=timedelta(hours=1), daily_at=time(8), run=lambda: None)
    with pytest.raises(ValueError):
        register_periodic("x.fast", every=timedelta(seconds=5), run=lambda: None)
    temp_jobs("x.once", every=timedelta(hours=1), run=lambda: None)
    with pytest.raises(ValueError):
        register_periodic("x.once", every=timedelta(hours=2), run=lambda: None)


def test_daily_slot_is_shanghai_wall_clock_and_crosses_midnight(temp_jobs):
    job = temp_jobs("t.late", daily_at=time(23, 30), run=lambda: None)
    with travel(local(2026, 11, 16, 23, 29)):
        before = job.slot(timezone.now())
    assert before == local(2026, 11, 15, 23, 30).astimezone(UTC)
    with travel(local(2026, 11, 16, 23, 30)):
        ran_at = job.slot(timezone.now())
    assert ran_at == local(2026, 11, 16, 23, 30).astimezone(UTC)
    # after midnight the slot is still yesterday's 23:30: not due again once it ran
    with travel(local(2026, 11, 17, 0, 10)):
        assert job.slot(timezone.now()) == ran_at
        assert not job.is_due(ran_at, timezone.now())
        assert job.is_due(before, timezone.now())  # missed yesterday's run: caught up once
    with travel(local(2026, 11, 17, 23, 30)):
        assert job.is_due(ran_at, timezone.now())

    digest = temp_jobs("t.morning", daily_at=time(8, 0), run=lambda: None)
    done = local(2026, 11, 16, 8).astimezone(UTC)
    for hour, minute, due in [(7, 59, False), (8, 0, True), (23, 59, True)]:
        with travel(local(2026, 11, 17, hour, minute)):
            assert digest.is_due(done, timezone.now()) is due, (hour, minute)


def test_every_slots_are_aligned(temp_jobs):
    job = temp_jobs("t.quarter", every=timedelta(minutes=15), run=lambda: None)
    with travel(local(2026, 11, 16, 9, 14, 59)):
        first = job.slot(timezone.now())
        assert first == local(2026, 11, 16, 9, 0).astimezone(UTC)
        assert job.is_due(None, timezone.now())
    with travel(local(2026, 11, 16, 9, 14, 59)):
        assert not job.is_due(first, timezone.now())
    with travel(local(2026, 11, 16, 9, 15)):
        assert job.is_due(first, timezone.now())
    hourly = temp_jobs("t.hourly", every=timedelta(hours=1), run=lambda: None)
    with travel(local(2026, 11, 17, 0, 30)):  # across midnight, local hours
        assert hourly.slot(timezone.now()) == local(2026, 11, 17, 0, 0).astimezone(UTC)


@pytest.mark.django_db
def test_claim_takes_each_slot_once(temp_jobs):
    job = temp_jobs("t.claim", every=timedelta(minutes=10), run=lambda: None)
    with travel(local(2026, 11, 16, 9, 1)):
        assert claim(job) is True
        assert claim(job) is False
    with travel(local(2026, 11, 16, 9, 9)):
        assert claim(job) is False
    with travel(local(2026, 11, 16, 9, 10)):
        assert claim(job) is True
    row = PeriodicRun.objects.get(name="t.claim")
    assert row.last_slot == local(2026, 11, 16, 9, 10).astimezone(UTC) and row.last_status == "queued"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("row_exists", [False, True])
def test_two_schedulers_claiming_the_same_slot_exactly_one_wins(temp_jobs, row_exists):
    job = temp_jobs("t.race", daily_at=time(8, 0), run=lambda: None)
    if row_exists:
        PeriodicRun.objects.create(name="t.race", last_slot=local(2026, 11, 15, 8).astimezone(UTC))
    now = local(2026, 11, 16, 8, 0, 5)
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def scheduler():
        try:
            barrier.wait(timeout=10)
            results.append(claim(job, now))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(results) == [False, True]
    assert PeriodicRun.objects.filter(name="t.race").count() == 1
    assert PeriodicRun.objects.get(name="t.race").last_slot == local(2026, 11, 16, 8).astimezone(UTC)


def _overdue_task(personas, org_tree):
    from conftest import make_user
    from wenming.plans.services import dispatch_approve, dispatch_create, dispatch_send

    by = personas.province_admin
    drafter = make_user("p_office", role="committee_office", org=org_tree.province)  # two-person rule
    with travel(local(2026, 11, 2, 10)):
        d = dispatch_create(
            issuer=org_tree.province,
            title="开展文明创建专项行动",
            content="按方案要求推进，按时反馈。",
            due_date=date(2026, 11, 10),
            assignees=[org_tree.shenyang],
            by=drafter,
        )
        dispatch_approve(dispatch_id=d.pk, by=by)
        dispatch_send(dispatch_id=d.pk, by=by)


@pytest.mark.django_db(transaction=True)  # notifications are written at commit
def test_scheduler_once_sends_the_daily_digest_once_per_day(personas, org_tree):
    _overdue_task(personas, org_tree)
    digests = Notification.objects.filter(recipient=personas.shenyang_admin, title__contains="待办提醒")

    with travel(local(2026, 11, 16, 7, 0)):  # first start ever: yesterday's 08:00 slot is caught up
        call_command("scheduler", "--once")
    assert digests.count() == 1
    row = PeriodicRun.objects.get(name="plans.send_digests")
    assert row.last_status == "ok" and row.last_finished_at is not None
    assert row.last_slot == local(2026, 11, 15, 8).astimezone(UTC)
    assert {r.name for r in PeriodicRun.objects.all()} >= {
        "plans.send_digests",
        "activities.auto_checkout",
        "imports.purge_expired",
        "exports.purge_expired_files",
    }
    assert set(PeriodicRun.objects.values_list("last_status", flat=True)) == {"ok"}

    with travel(local(2026, 11, 16, 8, 0, 20)):  # today's slot: the job runs, DigestLog keeps it to one
        started = run_due()
    assert started["plans.send_digests"] == "ok"
    assert digests.count() == 1

    with travel(local(2026, 11, 16, 15, 0)):  # again the same day: the slot is taken, the job is not started
        started = run_due()
    assert "plans.send_digests" not in started
    assert digests.count() == 1

    with travel(local(2026, 11, 17, 8, 1)):
        call_command("scheduler", "--once")
    assert digests.count() == 2


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(temp_jobs, caplog):
    ran: list[str] = []

    def boom():
        raise RuntimeError("手机号 13800138000 无法处理")

    temp_jobs("a.boom", every=timedelta(minutes=5), run=boom)
    temp_jobs("b.fine", every=timedelta(minutes=5), run=lambda: ran.append("b"))
    with travel(local(2026, 11, 16, 9, 0)), caplog.at_level(logging.INFO, logger="wenming.periodic"):
        call_command("scheduler", "--once")
    assert ran == ["b"]
    failed = PeriodicRun.objects.get(name="a.boom")
    assert failed.last_status == "failed" and failed.last_error.startswith("RuntimeError")
    assert failed.last_finished_at is not None
    assert PeriodicRun.objects.get(name="b.fine").last_status == "ok"
    assert "a.boom" in caplog.text and "RuntimeError" in caplog.text
    assert "13800138000" not in caplog.text  # logs carry no data from the error message

    # the failed slot is not retried within the slot, but the next slot runs again
    with travel(local(2026, 11, 16, 9, 4)):
        assert "a.boom" not in run_due(inline=True)
    with travel(local(2026, 11, 16, 9, 5)):
        assert run_due(inline=True)["b.fine"] == "ok"
    assert ran == ["b", "b"]
