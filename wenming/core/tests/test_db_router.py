"""Reporting reads go to the replica only when one is configured; writes never do."""

import os
import subprocess
import sys
from pathlib import Path

from wenming.accounts.models import User
from wenming.core.db import ReportingRouter, database_from_url, reporting_db, reporting_requested

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import django
django.setup()
from django.conf import settings
from wenming.accounts.models import User
from wenming.core.db import ReportingRouter, reporting_db
router = ReportingRouter()
print("outside", User.objects.all().db)
with reporting_db() as alias:
    print("inside", User.objects.all().db, alias, router.db_for_write(User))
print("after", User.objects.all().db)
print("routers", ",".join(settings.DATABASE_ROUTERS))
"""


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "WENMING_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="postgres://wenming:wenming@127.0.0.1:5432/wenming",
        REDIS_URL="redis://127.0.0.1:6379/15",
        SECRET_KEY="t" * 20 + "-router-probe-" + "k" * 30,
        WENMING_FIELD_KEY="00112233445566778899aabbccddeeff",
        WENMING_INDEX_KEY="a" * 64,
        WENMING_AUDIT_KEY="b" * 64,
        **extra,
    )
    return env


def _probe(env: dict[str, str]) -> dict[str, list[str]]:
    # Resolving a queryset's alias consults the routers only: no connection is opened.
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}


def test_reporting_reads_use_the_replica_when_configured():
    lines = _probe(_production_env(DATABASE_REPLICA_URL="postgres://report:pw@10.0.0.2:5432/wenming"))
    assert lines["outside"] == ["default"]
    assert lines["inside"] == ["replica", "replica", "default"]  # read, helper's alias, write
    assert lines["after"] == ["default"]
    assert lines["routers"] == ["wenming.core.db.ReportingRouter"]


def test_without_a_replica_reporting_reads_stay_on_default():
    lines = _probe(_production_env())
    assert lines["inside"][:2] == ["default", "default"]
    assert lines["routers"] == []


def test_reporting_flag_is_scoped_to_the_block(db):
    assert reporting_requested() is False
    with reporting_db() as alias:
        assert reporting_requested() is True
        assert alias == "default"  # the test profile has no replica
        assert ReportingRouter().db_for_read(User) is None
    assert reporting_requested() is False


def test_database_from_url_parses_postgres_urls_and_refuses_others():
    entry = database_from_url("postgres://rep:secret@db2.internal:6432/wenming", conn_max_age=30)
    assert (entry["HOST"], entry["PORT"], entry["NAME"], entry["USER"]) == ("db2.internal", 6432, "wenming", "rep")
    assert entry["CONN_MAX_AGE"] == 30
    try:
        database_from_url("mysql://x@y/z")
    except ValueError as exc:
        assert "mysql" in str(exc)
    else:
        raise AssertionError("a non-PostgreSQL replica URL must be refused")
