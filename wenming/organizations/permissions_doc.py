"""Render the roles × actions table of ``docs/permissions.md`` from ``wenming.accounts.roles``.

Run ``python -m wenming.organizations.permissions_doc`` after changing roles; a test keeps them in sync.
"""

from __future__ import annotations

import sys
from pathlib import Path

from wenming.accounts.roles import ACTION_LABELS, Role, role_actions

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
BEGIN, END = "<!-- roles-table:begin -->", "<!-- roles-table:end -->"


def actions() -> list[str]:
    """Every registered action, foundation first, then each app's in INSTALLED_APPS order."""
    return list(ACTION_LABELS)


def render_table() -> str:
    roles = list(Role)
    head = "| 动作 | 说明 | " + " | ".join(str(r.label) for r in roles) + " |"
    sep = "|---|---|" + "---|" * len(roles)
    lines = [head, sep]
    grants = role_actions()
    for a in actions():
        marks = " | ".join("✓" if a in grants[r] else "" for r in roles)
        lines.append(f"| `{a}` | {ACTION_LABELS.get(a, '')} | {marks} |")
    return "\n".join(lines)


def current_table(text: str) -> str:
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def write() -> None:
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{BEGIN}\n{render_table()}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    write()
    sys.stdout.write(f"updated {DOC}\n")
