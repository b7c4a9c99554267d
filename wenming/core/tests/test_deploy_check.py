"""`manage.py check --deploy --fail-level WARNING` is clean with the production settings (AC12)."""

import subprocess
import sys
from pathlib import Path

from wenming.core.tests.test_db_router import _production_env

ROOT = Path(__file__).resolve().parents[3]


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    # No database or cache connection is needed for these checks.
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check(_production_env(SECURE_SSL_REDIRECT="1"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_catches_a_plain_http_profile():
    # the local plain-HTTP demo switch is exactly what the release check must flag
    result = _check(_production_env(SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
