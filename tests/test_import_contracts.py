"""The import direction is enforced: the contracts in pyproject.toml hold, and a wrong arrow breaks them.

A copy of the source tree gets one deliberately wrong import (``core`` importing a domain app, and
one domain app importing another); ``lint-imports`` must then fail and name it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _copy_tree(dst: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations", "templates", "static", "locale")
    for pkg in ("wenming", "config"):
        shutil.copytree(ROOT / pkg, dst / pkg, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")


def test_a_wrong_import_breaks_the_contract(tmp_path):
    _copy_tree(tmp_path)
    assert _lint(tmp_path).returncode == 0, "the copy must pass before the wrong import is added"
    errors = tmp_path / "wenming" / "core" / "errors.py"
    errors.write_text(errors.read_text(encoding="utf-8") + "\nfrom wenming.plans import choices  # wrong\n")
    plans_choices = tmp_path / "wenming" / "plans" / "choices.py"
    plans_choices.write_text(
        plans_choices.read_text(encoding="utf-8") + "\nfrom wenming.activities import choices as _a  # wrong\n"
    )
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "wenming.core.errors -> wenming.plans.choices" in result.stdout
    assert "wenming.plans.choices -> wenming.activities.choices" in result.stdout
