"""Render the roles × actions table of ``docs/permissions.md`` from ``wenming.accounts.roles``.

Run ``python -m wenming.organizations.permissions_doc`` after changing roles; a test keeps them in sync.
"""

from __future__ import annotations

import sys
from pathlib import Path

from wenming.accounts.roles import ROLE_ACTIONS, Action, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
BEGIN, END = "<!-- roles-table:begin -->", "<!-- roles-table:end -->"

ACTION_LABELS = {
    "view": "查看范围内数据",
    "export": "导出",
    "org.manage": "机构新增、调整、停用",
    "people.manage": "快递员、领导机构成员维护",
    "pii.reveal": "查看完整个人信息（须填原因）",
    "import": "导入",
    "user.manage": "账号管理（系统管理员）",
    "role.manage": "授权、解锁、会话（安全管理员）",
    "audit.view": "查阅审计日志（审计管理员）",
    "review": "评审打分（专家）",
    "plans.dispatch": "下发工作任务",
    "plans.handle": "签收、办理工作任务",
    "plans.approve": "审批、撤销任务下发",
    "plans.report_review": "审核进展报告、简报",
    "activities.record": "记录创建活动",
    "activities.verify": "核验创建活动",
    "calendar.manage": "维护节假日与调休",
}


def actions() -> list[str]:
    names = [v for k, v in vars(Action).items() if k.isupper() and isinstance(v, str)]
    return sorted(set(names), key=names.index)


def render_table() -> str:
    roles = list(Role)
    head = "| 动作 | 说明 | " + " | ".join(r.label for r in roles) + " |"
    sep = "|---|---|" + "---|" * len(roles)
    lines = [head, sep]
    for a in actions():
        marks = " | ".join("✓" if a in ROLE_ACTIONS.get(r, frozenset()) else "" for r in roles)
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
    write()
    sys.stdout.write(f"updated {DOC}\n")
