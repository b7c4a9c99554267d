"""An import of a project module inside a function says why (ADR 0007): a `# deferred: <reason>` comment
on the import or in the run of imports and comments right above it. Anything else belongs at the top."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "wenming"


def _undocumented(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for sub in ast.walk(node):
            if not isinstance(sub, (ast.Import, ast.ImportFrom)):
                continue
            mod = sub.module if isinstance(sub, ast.ImportFrom) else sub.names[0].name
            if not ((isinstance(sub, ast.ImportFrom) and sub.level) or (mod or "").startswith(("wenming", "config"))):
                continue
            i = sub.lineno - 1
            said = "# deferred:" in lines[i]
            j = i - 1
            while not said and j >= 0:
                text = lines[j].strip()
                if text.startswith("# deferred:"):
                    said = True
                elif text.startswith(("from ", "import ", "#", ")")) or text == "" or text.endswith(","):
                    j -= 1
                    continue
                break
            if not said:
                out.append(f"{path.relative_to(ROOT.parent)}:{sub.lineno}")
    return out


def test_every_in_function_import_of_a_project_module_says_why():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "/tests/" in path.as_posix() or "/migrations/" in path.as_posix():
            continue
        found += _undocumented(path)
    assert found == [], "in-function imports without a '# deferred: <reason>' comment:\n" + "\n".join(found)


def test_the_check_catches_a_bare_in_function_import(tmp_path):
    bad = tmp_path / "wenming" / "x.py"
    bad.parent.mkdir()
    bad.write_text("def f():\n    from wenming.core import pii\n    return pii\n", encoding="utf-8")
    good = tmp_path / "wenming" / "y.py"
    good.write_text(
        "def f():\n    # deferred: test\n    from wenming.core import pii\n    return pii\n", encoding="utf-8"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path / "wenming"
    try:
        assert _undocumented(bad) == ["wenming/x.py:2"]
        assert _undocumented(good) == []
    finally:
        ROOT = saved
