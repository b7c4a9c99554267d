"""待办 lines and the workbench panel of the publicity app (counts from the same selectors as the lists)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wenming.workbench.services import Panel, TodoItem

from .choices import ExemplarStatus, SuggestionStatus, ValuesStatus
from .models import Exemplar, Suggestion, ValueStatement
from .permissions import PublicityAction as PA
from .selectors import inbox, unread_inbox


def publicity_todos(user: Any) -> Iterable[TodoItem]:
    n = unread_inbox(user=user).count()
    if n:
        yield TodoItem(
            category=_("通知"),
            title=_("未读通知公告 %(n)s 条") % {"n": n},
            url=reverse("publicity:inbox") + "?unread=1",
        )
    n = Suggestion.objects.visible_to(user, PA.HANDLE).filter(status=SuggestionStatus.SUBMITTED).count()
    if n:
        yield TodoItem(
            category=_("分办"),
            title=_("待分办的建言献策 %(n)s 条") % {"n": n},
            url=reverse("publicity:suggestion-list") + "?status=submitted",
        )
    n = Suggestion.objects.visible_to(user, PA.HANDLE).filter(status=SuggestionStatus.ROUTED).count()
    if n:
        yield TodoItem(
            category=_("办理"),
            title=_("待答复的建言献策 %(n)s 条") % {"n": n},
            url=reverse("publicity:suggestion-list") + "?status=routed",
        )
    n = Exemplar.objects.visible_to(user, PA.PUBLISH).filter(status=ExemplarStatus.VERIFIED).count()
    if n:
        yield TodoItem(
            category=_("审核"),
            title=_("待发布的先进典型 %(n)s 个") % {"n": n},
            url=reverse("publicity:exemplar-list") + "?status=verified",
        )
    n = ValueStatement.objects.visible_to(user, PA.VALUES_REVIEW).filter(status=ValuesStatus.SUBMITTED).count()
    if n:
        yield TodoItem(
            category=_("审核"),
            title=_("待审核的企业价值体系 %(n)s 份") % {"n": n},
            url=reverse("publicity:values-list") + "?status=submitted",
        )


def notices_panel(user: Any) -> Panel | None:
    """通知公告: the newest notices addressed to the user's own units (unread marked)."""
    rows = [
        TodoItem(
            _("已读") if d.seen else _("未读"),
            d.notice.title,
            reverse("publicity:inbox-detail", args=[d.pk]),
            at=d.notice.sent_at,
        )
        for d in inbox(user=user)[:5]
    ]
    if not rows:
        return None
    return Panel(gettext_noop("通知公告"), rows, reverse("publicity:inbox"), gettext_noop("暂无通知"))
