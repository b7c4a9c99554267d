"""Meta-test: every organisation-owned model has a ScopedModelContract subclass or a stated exemption."""

import importlib
import pkgutil
from pathlib import Path

import wenming
from wenming.organizations.scoping import org_owned_models
from wenming.testing import CONTRACT_EXEMPT, CONTRACT_MODELS


def _load_all_test_modules() -> dict[str, str]:
    """Import every ``wenming/<app>/tests/test_*.py`` (registering contracts); collect module exemptions."""
    exempt = dict(CONTRACT_EXEMPT)
    root = Path(wenming.__file__).parent
    for tests_dir in sorted(root.glob("*/tests")):
        if not (tests_dir / "__init__.py").exists():
            continue
        package = f"wenming.{tests_dir.parent.name}.tests"
        for info in pkgutil.walk_packages([str(tests_dir)], prefix=f"{package}."):
            if info.name.rsplit(".", 1)[-1].startswith("test_"):
                module = importlib.import_module(info.name)
                exempt.update(getattr(module, "CONTRACT_EXEMPT", {}))
    return exempt


def test_every_org_owned_model_has_a_scope_contract(db):
    exempt = _load_all_test_modules()
    missing = [
        m._meta.label
        for m in org_owned_models()
        if m._meta.label not in CONTRACT_MODELS and m._meta.label not in exempt
    ]
    assert not missing, f"这些关联组织机构的模型缺少 ScopedModelContract 子类或豁免说明：{missing}"


def test_exemptions_give_a_reason_and_name_real_models(db):
    exempt = _load_all_test_modules()
    owned = {m._meta.label for m in org_owned_models()}
    for label, reason in exempt.items():
        assert reason and len(reason.strip()) >= 5, label
        assert label in owned, f"{label} 不是关联组织机构的模型，无需豁免"


def test_contracts_of_this_module_are_registered():
    _load_all_test_modules()
    assert {"organizations.Organization", "organizations.Enterprise", "organizations.Outlet"} <= CONTRACT_MODELS
    assert {"people.Courier", "people.GoverningBody", "people.Membership"} <= CONTRACT_MODELS
