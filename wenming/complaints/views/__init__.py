"""Staff pages of 申诉: cases (list, intake, detail, the workflow steps) and statistics (volumes, rates).

Public pages (the web form, the lookup) are in ``views_public``.
"""

from __future__ import annotations

from .cases import (
    complaint_accept,
    complaint_attempt,
    complaint_callback,
    complaint_conclude,
    complaint_create,
    complaint_detail,
    complaint_list,
    complaint_mediate,
    complaint_progress,
    complaint_refuse,
    complaint_reply,
    complaint_return,
    complaint_reveal,
)
from .stats import statistics, volume_create, volume_detail, volume_list

__all__ = [
    "complaint_accept",
    "complaint_attempt",
    "complaint_callback",
    "complaint_conclude",
    "complaint_create",
    "complaint_detail",
    "complaint_list",
    "complaint_mediate",
    "complaint_progress",
    "complaint_refuse",
    "complaint_return",
    "complaint_reply",
    "complaint_reveal",
    "statistics",
    "volume_create",
    "volume_detail",
    "volume_list",
]
