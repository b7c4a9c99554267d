"""The complaints app's actions and what each role is granted (registered from ``ComplaintsConfig.ready``).

The 申诉受理中心 side (accept, refuse, forward, return, call back, mediate, close) is the regulator: the
provincial bureau for every case, a city bureau for the enterprises it supervises. Enterprises answer
the cases forwarded to them. Item volumes (the denominator of the per-million rates) are entered by
the regulator.
"""

from wenming.accounts.roles import Role, grant, register_action


class ComplaintAction:
    HANDLE = register_action("complaints.handle", "受理、转办、回访、办结申诉（申诉受理）")
    REPLY = register_action("complaints.reply", "答复转办的申诉（企业）")
    VOLUME = register_action("complaints.volume", "录入企业月度业务量")


def grant_roles() -> None:
    C = ComplaintAction
    grant(Role.PROVINCE_ADMIN, C.HANDLE, C.VOLUME)
    grant(Role.CITY_ADMIN, C.HANDLE, C.VOLUME)
    grant(Role.CITY_USER, C.HANDLE, C.VOLUME)
    grant(Role.ENTERPRISE_ADMIN, C.REPLY)
