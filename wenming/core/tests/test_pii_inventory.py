"""PR6: every personal-data-looking field is declared in the inventory, with a known protection."""

import re

from django.apps import apps

from wenming.core.pii_inventory import PII_INVENTORY, PROTECTIONS, SM4

PII_NAME = re.compile(r"id_number|phone|mobile|idcard|身份证", re.IGNORECASE)


def _pii_like_fields() -> set[tuple[str, str]]:
    found = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if not getattr(f, "concrete", False):
                continue
            if PII_NAME.search(f.name) or PII_NAME.search(str(getattr(f, "verbose_name", ""))):
                found.add((model._meta.label, f.name))
    return found


def test_every_pii_like_field_is_declared():
    declared = {(label, name) for label, fields in PII_INVENTORY.items() for name in fields}
    undeclared = sorted(_pii_like_fields() - declared)
    assert undeclared == [], f"未在 wenming/core/pii_inventory.py 登记的个人信息字段：{undeclared}"


def test_inventory_entries_exist_and_use_known_protections():
    for label, fields in PII_INVENTORY.items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        for name, (protection, note) in fields.items():
            assert name in names, f"{label}.{name} 已不存在，请更新清单"
            assert protection in PROTECTIONS and note


def test_the_scanner_sees_the_known_courier_fields():
    # guards the test above against a regex or model-walk that silently matches nothing
    found = _pii_like_fields()
    assert {("people.Courier", "id_number_enc"), ("people.Courier", "phone_hint")} <= found
    assert PII_INVENTORY["people.Courier"]["id_number_enc"][0] == SM4
