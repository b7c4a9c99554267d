"""Concurrent writers share no lock: every write succeeds and, once sealed, the rows form one valid chain."""

import threading

import pytest
from django.db import connection

from wenming.audit.models import AuditEvent, AuditHead
from wenming.audit.services import audit_record, seal_pending, verify_report


def _run_writers(threads: int, per_thread: int, *, sealer: bool = False) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(threads + (1 if sealer else 0))
    done = threading.Event()

    def worker(n: int) -> None:
        try:
            start.wait(timeout=60)
            for i in range(per_thread):
                audit_record("update", object_type="test.Thing", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)
        finally:
            connection.close()

    def seal_while_writing() -> None:
        try:
            start.wait(timeout=60)
            while not done.wait(0.05):  # the periodic job seals every minute; here many times a second
                seal_pending()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    side = threading.Thread(target=seal_while_writing) if sealer else None
    for t in [*pool, *([side] if side else [])]:
        t.start()
    for t in pool:
        t.join()
    done.set()
    if side:
        side.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain():
    assert _run_writers(4, 10) == []
    assert seal_pending() == 40
    report = verify_report()
    assert report.ok and report.checked == 40 and report.unsealed == 0
    assert AuditHead.objects.get().event_count == 40


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_writers_all_succeed_and_the_chain_verifies_after_sealing():
    # 50 threads (50 connections on PostgreSQL) write at once while a sealer chains what has committed
    assert _run_writers(50, 4, sealer=True) == []
    seal_pending()
    report = verify_report()
    assert report.problems == []
    assert report.checked == 200 and report.unsealed == 0 and AuditHead.objects.get().event_count == 200
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 201))
