"""The rollup: equal to a live aggregate after random inserts (L15), incremental, rebuilt from scratch,
and never skipping a row whose transaction commits after a higher id (the watermark)."""

from __future__ import annotations

import random
import threading
from datetime import date

import pytest
from django.db import connection, transaction

from wenming.surveys import rollup
from wenming.surveys.models import SUM_FIELDS, RollupState, ScoreRollup, SurveyResponse

from .conftest import add_response


def _live_all() -> dict[tuple, dict[str, int]]:
    out = {}
    with connection.cursor() as cur:
        keys = ", ".join(rollup.KEY)
        cur.execute(f"SELECT {keys}, {', '.join(rollup._aggregates())} FROM {rollup.RAW} GROUP BY {keys}")
        for row in cur.fetchall():
            out[tuple(str(x) for x in row[:5])] = dict(zip(SUM_FIELDS, (int(v) for v in row[5:]), strict=True))
    return out


def _rolled() -> dict[tuple, dict[str, int]]:
    return {
        tuple(str(r[k]) for k in rollup.KEY): {f: int(r[f]) for f in SUM_FIELDS}
        for r in ScoreRollup.objects.values(*rollup.KEY, *SUM_FIELDS)
    }


@pytest.mark.django_db
def test_rollup_equals_live_aggregate_after_random_batches(org_tree, questionnaire, second_outlet):
    rng = random.Random(7)
    outlets = [org_tree.shenyang_outlet, org_tree.dalian_outlet, second_outlet]
    for _batch in range(4):
        for _ in range(rng.randint(5, 40)):
            day = date(2026, rng.randint(1, 6), rng.randint(1, 28))
            score = None if rng.random() < 0.1 else rng.randint(0, 1000) / 10
            dims = {d: rng.randint(0, 1000) / 10 for d in ("acceptance", "delivery") if rng.random() < 0.8}
            add_response(rng.choice(outlets), questionnaire, score, day, **dims)
        rollup.refresh(batch=rng.choice([3, 17, 1000]))
        assert _rolled() == _live_all()
    check = rollup.check(sample=30, rng=rng)
    assert check.sampled > 0 and check.mismatches == 0


@pytest.mark.django_db
def test_refresh_reads_only_new_rows_and_rebuild_gives_the_same(org_tree, questionnaire):
    for i in range(20):
        add_response(org_tree.shenyang_outlet, questionnaire, 70 + i, date(2026, 3, 1 + i))
    assert rollup.refresh() == 20
    assert rollup.refresh() == 0  # nothing new: nothing read
    add_response(org_tree.shenyang_outlet, questionnaire, 90, date(2026, 3, 25))
    assert rollup.refresh() == 1
    before = _rolled()
    assert RollupState.objects.get(name=rollup.STATE).watermark == SurveyResponse.objects.order_by("-id").first().id
    rollup.rebuild()
    assert _rolled() == before == _live_all()


@pytest.mark.django_db
def test_rebuild_leaves_planner_statistics_of_the_new_rows(org_tree, questionnaire, second_outlet):
    """Every rollup row is new after a rebuild; the dashboards' GROUP BY must not be planned on the
    statistics of the old table (or on none)."""
    outlets = [org_tree.shenyang_outlet, org_tree.dalian_outlet, second_outlet]
    for counts in ((2, 3), (3, 5)):  # (outlets, months): 6 rows, then 15
        for o in outlets[: counts[0]]:
            for m in range(1, counts[1] + 1):
                add_response(o, questionnaire, 80, date(2026, m, 1))
        rollup.rebuild()
        rolled = ScoreRollup.objects.count()
        assert rolled == counts[0] * counts[1]
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:  # ANALYZE writes reltuples in place, at once
                cur.execute("SELECT reltuples, reloptions FROM pg_class WHERE relname = %s", [rollup.ROLL])
                reltuples, options = cur.fetchone()
                assert reltuples == rolled
                assert "fillfactor=70" in options  # room on each page: a refresh's updates are HOT


@pytest.mark.django_db
def test_sampled_check_reports_a_tampered_rollup_row(org_tree, questionnaire):
    for i in range(5):
        add_response(org_tree.shenyang_outlet, questionnaire, 80, date(2026, 3, 1 + i))
    rollup.refresh()
    ScoreRollup.objects.update(n=99)
    result = rollup.check(sample=5)
    assert result.mismatches == 1 and result.detail[0]["rollup"]["n"] == 99 and result.detail[0]["live"]["n"] == 5


@pytest.mark.django_db(transaction=True)
def test_a_late_committing_row_is_not_skipped(org_tree, questionnaire):
    """Transaction A takes id N and commits after B took id N + 1 and committed. A refresh in between must
    not move the watermark past N; after A commits both rows are counted."""
    from django.db import connections

    add_response(org_tree.shenyang_outlet, questionnaire, 50, date(2026, 4, 1))
    rollup.refresh()
    inserted, release, finished = threading.Event(), threading.Event(), threading.Event()
    late: dict[str, int] = {}

    def writer_a():
        try:
            with transaction.atomic():
                late["id"] = add_response(org_tree.shenyang_outlet, questionnaire, 60, date(2026, 4, 2)).id
                inserted.set()
                release.wait(10 if connection.vendor == "postgresql" else 0.5)
        finally:
            connections.close_all()
            finished.set()

    t = threading.Thread(target=writer_a)
    t.start()
    assert inserted.wait(10)
    if connection.vendor == "postgresql":
        b = add_response(org_tree.shenyang_outlet, questionnaire, 70, date(2026, 4, 3))  # commits first
        assert b.id > late["id"]  # the hazard: max(committed id) is already past the uncommitted row
        assert rollup.refresh(lock_timeout_ms=200) == 0  # the lock waits for A: this round counts nothing
        wm = RollupState.objects.get(name=rollup.STATE).watermark
        assert wm < late["id"]
        release.set()
    else:  # SQLite: one writer; the refresh waits for A's commit and then sees its row
        rollup.refresh()
    t.join(10)
    assert finished.is_set()
    rollup.refresh()
    assert _rolled() == _live_all()
    assert sum(r["responses"] for r in _rolled().values()) == SurveyResponse.objects.count()


@pytest.mark.django_db
def test_response_table_is_partitioned_by_month_on_postgresql(org_tree, questionnaire):
    r = add_response(org_tree.shenyang_outlet, questionnaire, 80, date.today())
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
                " WHERE c.relname = %s",
                [rollup.RAW],
            )
            assert cur.fetchone()[0] == "r"  # RANGE
            cur.execute(f"SELECT tableoid::regclass::text FROM {rollup.RAW} WHERE id = %s", [r.id])
            assert cur.fetchone()[0] == rollup.partition_name(date.today().replace(day=1))
        rollup.ensure_partitions(months_ahead=4)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent WHERE c.relname = %s",
                [rollup.RAW],
            )
            assert cur.fetchone()[0] >= 5
    else:
        assert rollup.ensure_partitions() == []  # SQLite: one plain table
        assert SurveyResponse.objects.filter(pk=r.pk).exists()


@pytest.mark.django_db
def test_management_command_refreshes_rebuilds_and_checks(org_tree, questionnaire):
    from io import StringIO

    from django.core.management import call_command

    add_response(org_tree.shenyang_outlet, questionnaire, 75, date(2026, 5, 5))
    out = StringIO()
    call_command("surveys_rollup", stdout=out)
    call_command("surveys_rollup", "--rebuild", stdout=out)
    call_command("surveys_rollup", "--check", "10", stdout=out)
    text = out.getvalue()
    assert "已汇总新增答卷 1 份" in text and "不一致 0 行" in text and ScoreRollup.objects.get().n == 1
