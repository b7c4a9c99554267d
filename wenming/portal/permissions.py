"""The news CMS's actions and what each role is granted (registered from ``PortalConfig.ready``).

* ``portal.draft`` — write and submit stories for one's own units (enterprises, city bureaus, the province);
* ``portal.review`` — the city bureau's editorial review (refined by the rule ``portal.city_reviewer``:
  only at the story's own city bureau, never from above it, never one's own story);
* ``portal.publish`` — the province's publication decision (publish, schedule, send back, withdraw).
"""

from django.utils.translation import gettext_noop

from wenming.accounts.roles import Role, grant, register_action


class PortalAction:
    DRAFT = register_action("portal.draft", gettext_noop("撰写、提交新闻稿件"))
    REVIEW = register_action("portal.review", gettext_noop("市局审核新闻稿件"))
    PUBLISH = register_action("portal.publish", gettext_noop("省局发布新闻稿件"))


def grant_roles() -> None:
    A = PortalAction
    grant(Role.PROVINCE_ADMIN, A.DRAFT, A.PUBLISH)
    grant(Role.COMMITTEE_OFFICE, A.DRAFT, A.PUBLISH)
    grant(Role.DIVISION_USER, A.DRAFT)
    grant(Role.CITY_ADMIN, A.DRAFT, A.REVIEW)
    grant(Role.CITY_USER, A.DRAFT)
    grant(Role.ENTERPRISE_ADMIN, A.DRAFT)
