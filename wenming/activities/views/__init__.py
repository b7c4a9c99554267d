"""Staff pages of 创建活动: activity records, verification, gallery, calendar, ledger, pairings, volunteering.

One module per page group; URL names are in ``activities/urls.py`` (public pages: ``views_public``).
"""

from __future__ import annotations

from .activity_records import (
    activity_add_photos,
    activity_create,
    activity_detail,
    activity_edit,
    activity_list,
    activity_return,
    activity_submit,
    activity_type_pick,
    activity_verify,
)
from .certificates import certificate_create, certificate_detail, certificate_list, certificate_pdf
from .hours import volunteer_records, volunteer_totals
from .overview import activity_calendar, gallery, ledger, ledger_home, photo_file
from .pairings import pairing_create, pairing_detail, pairing_end, pairing_list
from .volunteering import (
    volunteer_bulk_approve,
    volunteer_event_cancel,
    volunteer_event_create,
    volunteer_event_detail,
    volunteer_event_edit,
    volunteer_event_list,
    volunteer_join,
    volunteer_qr_sheet,
    volunteer_record_approve,
    volunteer_record_decline,
    volunteer_signup_add,
)

__all__ = [
    "activity_add_photos",
    "activity_calendar",
    "activity_create",
    "activity_detail",
    "activity_edit",
    "activity_list",
    "activity_return",
    "activity_submit",
    "activity_type_pick",
    "activity_verify",
    "certificate_create",
    "certificate_detail",
    "certificate_list",
    "certificate_pdf",
    "gallery",
    "ledger",
    "ledger_home",
    "pairing_create",
    "pairing_detail",
    "pairing_end",
    "pairing_list",
    "photo_file",
    "volunteer_bulk_approve",
    "volunteer_event_create",
    "volunteer_event_detail",
    "volunteer_event_list",
    "volunteer_join",
    "volunteer_qr_sheet",
    "volunteer_event_cancel",
    "volunteer_event_edit",
    "volunteer_record_approve",
    "volunteer_record_decline",
    "volunteer_records",
    "volunteer_signup_add",
    "volunteer_totals",
]
