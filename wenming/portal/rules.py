"""Named rules of the news workflow (registered with the policy in ``PortalConfig.ready``).

The tree alone says "holds the action on the story's unit or above". The editorial chain needs more:

* ``portal.submitter`` — writes for the story's unit (``portal.draft`` in scope) and the unit sits under a
  city bureau, so the story goes to that bureau first;
* ``portal.direct_submitter`` — the same for provincial units (no city bureau above): straight to the province;
* ``portal.city_reviewer`` — holds ``portal.review`` granted on the story's own city bureau or between it
  and the story's unit (never above the city bureau: the province publishes, it does not do the city's
  review), and did not write the story (审核与撰稿分离).
"""

from __future__ import annotations

from typing import Any

from wenming.organizations.choices import OrgKind
from wenming.organizations.scoping import grant_paths, is_in_scope
from wenming.workflow.policy import register_rule

from .permissions import PortalAction as PA


def city_bureau_of(org: Any) -> Any:
    """The city bureau at or above ``org`` (None for the province and its divisions)."""
    if org is None:
        return None
    if org.kind == OrgKind.CITY_BUREAU:
        return org
    return org.ancestors().filter(kind=OrgKind.CITY_BUREAU).first()


def _article(obj: Any) -> Any:
    return getattr(obj, "article", obj) if not hasattr(obj, "organization") else obj


def is_submitter(user: Any, obj: Any) -> bool:
    art = _article(obj)
    return is_in_scope(user, art, PA.DRAFT) and city_bureau_of(art.organization) is not None


def is_direct_submitter(user: Any, obj: Any) -> bool:
    art = _article(obj)
    return is_in_scope(user, art, PA.DRAFT) and city_bureau_of(art.organization) is None


def is_city_reviewer(user: Any, obj: Any) -> bool:
    art = _article(obj)
    city = city_bureau_of(art.organization)
    if city is None or art.created_by_id == getattr(user, "pk", None):
        return False
    path = art.organization.path
    return any(path.startswith(p) and p.startswith(city.path) for p in grant_paths(user, PA.REVIEW))


def register_rules() -> None:
    register_rule("portal.submitter", is_submitter, action=PA.DRAFT, label="提交所在市局审核")
    register_rule("portal.direct_submitter", is_direct_submitter, action=PA.DRAFT, label="省级单位直接提交省局")
    register_rule("portal.city_reviewer", is_city_reviewer, action=PA.REVIEW, label="稿件所在市局审核（非本人稿件）")
