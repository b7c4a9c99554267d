"""Staff pages of the publicity app (public pages: ``views_public``)."""

from .coverage import clipping_file, coverage_create, coverage_detail, coverage_edit, coverage_list, coverage_stats
from .exemplars import (
    exemplar_consent,
    exemplar_create,
    exemplar_detail,
    exemplar_edit,
    exemplar_list,
    exemplar_move,
    exemplar_photo,
    exemplar_photo_remove,
    exemplar_withdraw,
)
from .notices import (
    inbox_detail,
    inbox_list,
    notice_attachment,
    notice_create,
    notice_detail,
    notice_list,
    notice_remind,
    notice_send,
)
from .suggestions import suggestion_create, suggestion_detail, suggestion_list, suggestion_move
from .values import values_create, values_detail, values_edit, values_list, values_move

__all__ = [
    "clipping_file",
    "coverage_create",
    "coverage_detail",
    "coverage_edit",
    "coverage_list",
    "coverage_stats",
    "exemplar_consent",
    "exemplar_create",
    "exemplar_detail",
    "exemplar_edit",
    "exemplar_list",
    "exemplar_move",
    "exemplar_photo",
    "exemplar_photo_remove",
    "exemplar_withdraw",
    "inbox_detail",
    "inbox_list",
    "notice_attachment",
    "notice_create",
    "notice_detail",
    "notice_list",
    "notice_remind",
    "notice_send",
    "suggestion_create",
    "suggestion_detail",
    "suggestion_list",
    "suggestion_move",
    "values_create",
    "values_detail",
    "values_edit",
    "values_list",
    "values_move",
]
