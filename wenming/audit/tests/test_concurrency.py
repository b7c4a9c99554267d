"""Concurrent writers still produce one valid chain with the head at the end."""

import threading

import pytest
from django.db import connection

from wenming.audit.models import AuditHead
from wenming.audit.services import audit_record, verify_report


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain():
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                audit_record("update", object_type="test.Thing", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_report()
    assert report.ok and report.checked == 40
    assert AuditHead.objects.get().event_count == 40
