from __future__ import annotations

import pytest

from wenming.certificates.kinds import register_kind, unregister_kind

KIND = "tests.youth"


@pytest.fixture
def youth_kind():
    """A certificate kind as the honours module would declare it (青年文明号)."""
    kind = register_kind(
        KIND,
        "青年文明号证书",
        "QNWMH",
        "certificates/pdf_base.html",
        fields=("荣誉称号", "级别"),
        public_fields=(("荣誉称号", "荣誉称号"), ("级别", "级别")),
    )
    yield kind
    unregister_kind(KIND)


@pytest.fixture
def issue_one(personas, org_tree, youth_kind):
    from wenming.certificates import services

    def _issue(name="沈阳和平网点青年班组", org=None, **extra):
        return services.issue(
            KIND,
            subject_key=f"organizations.organization:{(org or org_tree.shenyang_outlet).pk}",
            subject_name=name,
            fields={"荣誉称号": "2026年度市级青年文明号", "级别": "市级", **extra},
            by=personas.shenyang_admin,
            organization=org or org_tree.shenyang_outlet,
        )

    return _issue
