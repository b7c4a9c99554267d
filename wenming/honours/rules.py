"""Named permissions of the honours engine: who decides which stage of a review chain.

The review chain follows the tree: the **city review** is taken by a holder of ``honours.review``
granted inside the applicant's city (the city bureau or below it, never the province); the **province
review** by a holder granted at the top of the tree. The office stages (scoring, committee, 公示) need
``honours.manage``, an action, so they need no rule.
"""

from __future__ import annotations

from typing import Any

from wenming.organizations.scoping import grant_paths
from wenming.workflow.policy import register_rule

from .permissions import HonourAction as HA

APPLICANT = "honours.applicant"
CITY_REVIEW = "honours.city_review"
PROVINCE_REVIEW = "honours.province_review"


def _is_top(path: str) -> bool:
    return path.count(".") == 1


def _org_path(obj: Any) -> str:
    org = getattr(obj, "organization", None)
    return getattr(org, "path", "") or ""


def is_applicant(user: Any, app: Any) -> bool:
    path = _org_path(app)
    return bool(path) and any(path.startswith(p) for p in grant_paths(user, HA.APPLY))


def is_city_reviewer(user: Any, app: Any) -> bool:
    path = _org_path(app)
    return bool(path) and any(path.startswith(p) and not _is_top(p) for p in grant_paths(user, HA.REVIEW))


def is_province_reviewer(user: Any, app: Any) -> bool:
    path = _org_path(app)
    return bool(path) and any(path.startswith(p) and _is_top(p) for p in grant_paths(user, HA.REVIEW))


def register_rules() -> None:
    register_rule(APPLICANT, is_applicant, action=HA.APPLY, label="申报单位或推荐单位")
    register_rule(CITY_REVIEW, is_city_reviewer, action=HA.REVIEW, label="市局初审")
    register_rule(PROVINCE_REVIEW, is_province_reviewer, action=HA.REVIEW, label="省局复审")
