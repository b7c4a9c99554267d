"""The editorial workflow of news stories (稿件审核发布). No I/O.

draft → (city bureau) review → (province) publication, or a scheduled publication released by the
scheduler. Units under a city bureau submit to it; provincial units submit straight to the province.
Who may decide at each stage is a named rule of the policy (``portal.rules``).
"""

from django.utils.translation import gettext_noop

from wenming.audit.models import AuditAction
from wenming.workflow.engine import Transition, Workflow
from wenming.workflow.policy import SYSTEM

from .choices import ArticleStatus as S
from .permissions import PortalAction as PA

EDIT_SOURCES = {S.DRAFT, S.RETURNED}

ARTICLE_WORKFLOW = Workflow(
    key="portal.article",
    model="portal.Article",
    event_model="portal.ArticleEvent",
    event_fk="article",
    lock_related=("organization",),
    transitions=(
        Transition("submit", EDIT_SOURCES, S.CITY_REVIEW, "portal.submitter", gettext_noop("提交市局审核")),
        Transition(
            "submit_direct", EDIT_SOURCES, S.PROVINCE_REVIEW, "portal.direct_submitter", gettext_noop("提交省局发布")
        ),
        Transition("approve", {S.CITY_REVIEW}, S.PROVINCE_REVIEW, "portal.city_reviewer", gettext_noop("市局审核通过")),
        Transition("return", {S.CITY_REVIEW}, S.RETURNED, "portal.city_reviewer", gettext_noop("市局退回修改")),
        Transition("publish", {S.PROVINCE_REVIEW}, S.PUBLISHED, PA.PUBLISH, gettext_noop("省局发布")),
        Transition("schedule", {S.PROVINCE_REVIEW}, S.SCHEDULED, PA.PUBLISH, gettext_noop("定时发布")),
        Transition("province_return", {S.PROVINCE_REVIEW}, S.RETURNED, PA.PUBLISH, gettext_noop("省局退回修改")),
        Transition("release", {S.SCHEDULED}, S.PUBLISHED, SYSTEM, gettext_noop("到时发布"), audit=AuditAction.UPDATE),
        Transition("withdraw", {S.PUBLISHED, S.SCHEDULED}, S.WITHDRAWN, PA.PUBLISH, gettext_noop("撤稿")),
    ),
    kinds={
        "create": gettext_noop("起草"),
        "edit": gettext_noop("修改"),
        "rollback": gettext_noop("恢复历史版本"),
        "image": gettext_noop("上传图片"),
    },
)
