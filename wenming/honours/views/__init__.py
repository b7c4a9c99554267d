"""Staff pages of 荣誉评选: cycles, applications and their review chain, 公示 objections, titles."""

from .applications import (
    application_decide,
    application_detail,
    application_edit,
    application_list,
    application_new,
    application_submit,
    evidence_file,
    evidence_remove,
    evidence_reuse,
    evidence_upload,
)
from .cycles import cycle_action, cycle_create, cycle_detail, cycle_list, tally_add
from .notices import objection_action, objection_detail, objection_list
from .queue import queue
from .titles import manage, title_action, title_detail, title_list

__all__ = [
    "application_decide",
    "application_detail",
    "application_edit",
    "application_list",
    "application_new",
    "application_submit",
    "cycle_action",
    "cycle_create",
    "cycle_detail",
    "cycle_list",
    "evidence_file",
    "evidence_remove",
    "evidence_reuse",
    "evidence_upload",
    "manage",
    "objection_action",
    "objection_detail",
    "objection_list",
    "queue",
    "tally_add",
    "title_action",
    "title_detail",
    "title_list",
]
