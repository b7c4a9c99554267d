"""System check: complaint case files are kept at least three years (《邮政业消费者申诉处理办法》)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from wenming.core.errors import ApplicationError

from .services import retention_years


@register()
def complaint_retention_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        retention_years()
    except ApplicationError as exc:
        return [Error(exc.message, id="wenming.complaints.E001")]
    return []
