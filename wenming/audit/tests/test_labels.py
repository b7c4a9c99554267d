"""The audit log names object types by their model and detail keys by the one label table (issue 10 #6)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from wenming.audit.labels import DETAIL_LABELS, detail_items, object_type_label
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record, seal_pending

# The load benchmark writes throw-away rows of its own ("bench.Thing", keys n/i); nobody reads them.


def _keys_of(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> set[str]:
    """String keys of a dict display or ``dict(...)`` call, following ``**name`` to its assignments."""
    out: set[str] = set()
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None and isinstance(value, ast.Name):
                for v in assigned.get(value.id, []):
                    out |= _keys_of(v, assigned)
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                out.add(key.value)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        out |= {kw.arg for kw in node.keywords if kw.arg}
    return out


def detail_keys_in_code() -> dict[str, str]:
    """Every key written into an audit detail: ``detail=`` dicts, the variables passed as ``detail=``
    (their assignments and ``var["key"] = …`` items) and the dicts they spread in."""
    base = Path(settings.BASE_DIR)
    found: dict[str, str] = {}
    for path in sorted((base / "wenming").rglob("*.py")):
        rel = path.relative_to(base)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[ast.AST]] = {}
        items: dict[str, set[str]] = {}
        passed: list[ast.AST] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        assigned.setdefault(t.id, []).append(node.value)
                    elif (
                        isinstance(t, ast.Subscript)
                        and isinstance(t.value, ast.Name)
                        and isinstance(t.slice, ast.Constant)
                        and isinstance(t.slice.value, str)
                    ):
                        items.setdefault(t.value.id, set()).add(t.slice.value)
            if isinstance(node, ast.Call):
                passed += [kw.value for kw in node.keywords if kw.arg == "detail"]
        for value in passed:
            keys = _keys_of(value, assigned)
            if isinstance(value, ast.Name):
                for v in assigned.get(value.id, []):
                    keys |= _keys_of(v, assigned)
                keys |= items.get(value.id, set())
            for key in keys:
                found.setdefault(key, str(rel))
    return found


def test_the_scan_sees_the_kernel_and_the_services():
    keys = detail_keys_in_code()
    assert {"transition", "from", "to"} <= set(keys)  # wenming/workflow/engine.py
    assert {"op", "retention_days", "login_records", "move", "filters"} <= set(keys)


def test_every_detail_key_written_in_the_code_has_a_label():
    missing = sorted(f"{k} ({where})" for k, where in detail_keys_in_code().items() if k not in DETAIL_LABELS)
    assert missing == []


def test_object_types_and_values_read_as_labels(db):
    assert object_type_label("audit.AuditEvent") == "审计日志"
    assert object_type_label("activities.VolunteerRecord") != "activities.VolunteerRecord"
    assert object_type_label("bench.Thing") == "bench.Thing"  # not a model: shown as written
    items = dict(
        detail_items(
            "plans.WorkTask",
            {"transition": "close", "from": "reported", "to": "closed", "self": True, "filters": {"year": "2026"}},
        )
    )
    assert items == {"操作": "办结", "原值": "待复核", "新值": "已办结", "本人操作": "是", "筛选条件": "年度：2026"}


def test_detail_page_shows_labels_not_keys(client, personas):
    ev = audit_record(
        AuditAction.UPDATE,
        object_type="plans.WorkTask",
        object_id=1,
        detail={"transition": "close", "from": "reported", "to": "closed"},
    )
    seal_pending()
    client.force_login(personas.auditor)
    body = client.get(reverse("audit:detail", args=[ev.pk])).content.decode()
    assert "<dd>督办任务</dd>" in body and "plans.WorkTask" not in body
    assert "<dt>原值</dt><dd>待复核</dd>" in body and "<dt>操作</dt><dd>办结</dd>" in body
    assert ">transition<" not in body and ">reported<" not in body


@pytest.mark.parametrize("key", sorted(DETAIL_LABELS))
def test_labels_are_chinese(key):
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(DETAIL_LABELS[key]))


def test_the_log_keeps_chinese_object_names_when_an_english_user_acts(db):
    from datetime import date

    from django.utils import translation

    from wenming.workdays.models import CalendarDay

    day = CalendarDay.objects.get_or_create(date=date(2026, 10, 1), defaults={"kind": "holiday", "name": "国庆节"})[0]
    with translation.override("en"):
        ev = audit_record(AuditAction.UPDATE, obj=day)
        assert "Public holiday" in str(day)  # a page would show the label in English
    assert ev.object_repr == f"2026-10-01 {day.name}（法定节假日）"
