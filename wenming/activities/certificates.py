"""The 志愿服务记录证明 as a kind of the one certificate mechanism (``wenming.certificates``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenming.activities.permissions import ActivityAction as AA
from wenming.certificates.kinds import register_kind

KIND = "activities.volunteer"
SERIAL_PREFIX = "LNYZ-VS"


def register_certificate_kind() -> None:
    register_kind(
        KIND,
        "志愿服务记录证明",
        SERIAL_PREFIX,
        "activities/certificate_pdf.html",
        fields=("records", "total_hours", "record_count"),
        public_fields=(("total_hours", _("累计时长（小时）")), ("record_count", _("服务次数"))),
        issue_permission=AA.ACTIVITY_RECORD,
    )


def subject_key(*, courier=None, user=None) -> str:
    return f"people.courier:{courier.pk}" if courier is not None else f"accounts.user:{user.pk}"
