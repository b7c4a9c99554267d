"""The calendar's action and who holds it (registered from ``WorkdaysConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class CalendarAction:
    # edit statutory holidays and make-up working days
    CALENDAR_MANAGE = register_action("calendar.manage", "维护节假日与调休")


def grant_roles() -> None:
    grant(Role.PROVINCE_ADMIN, CalendarAction.CALENDAR_MANAGE)
    grant(Role.COMMITTEE_OFFICE, CalendarAction.CALENDAR_MANAGE)
