"""Staff pages of 满意度: the index dashboard, outlet page, responses, comments, questionnaires, posters
and the effect-evaluation panel. Public survey pages: ``views_public``."""

from .builder import (
    poster_batch,
    poster_outlet,
    question_add,
    question_delete,
    questionnaire_create,
    questionnaire_detail,
    questionnaire_list,
    questionnaire_new_version,
    questionnaire_publish,
    questionnaire_retire,
)
from .dashboard import dashboard, outlet_detail
from .effect import effect_panel
from .lists import comment_handle, comment_list, response_list

__all__ = [
    "comment_handle",
    "comment_list",
    "dashboard",
    "effect_panel",
    "outlet_detail",
    "poster_batch",
    "poster_outlet",
    "question_add",
    "question_delete",
    "questionnaire_create",
    "questionnaire_detail",
    "questionnaire_list",
    "questionnaire_new_version",
    "questionnaire_publish",
    "questionnaire_retire",
    "response_list",
]
