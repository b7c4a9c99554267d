"""The publicity app's actions and what each role is granted (registered from ``PublicityConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class PublicityAction:
    EDIT = register_action("publicity.edit", "录入先进典型、媒体报道")
    VERIFY = register_action("publicity.verify", "核实本单位先进典型")
    PUBLISH = register_action("publicity.publish", "发布先进典型")
    NOTICE = register_action("publicity.notice", "发送通知公告")
    HANDLE = register_action("publicity.handle", "办理建言献策")
    VALUES_EDIT = register_action("publicity.values_edit", "填报企业价值体系")
    VALUES_REVIEW = register_action("publicity.values_review", "审核企业价值体系")


def grant_roles() -> None:
    A = PublicityAction
    grant(Role.PROVINCE_ADMIN, A.EDIT, A.VERIFY, A.PUBLISH, A.NOTICE, A.HANDLE, A.VALUES_REVIEW)
    grant(Role.COMMITTEE_OFFICE, A.EDIT, A.PUBLISH, A.NOTICE, A.HANDLE, A.VALUES_REVIEW)
    grant(Role.CITY_ADMIN, A.EDIT, A.VERIFY, A.PUBLISH, A.NOTICE, A.HANDLE, A.VALUES_REVIEW)
    grant(Role.CITY_USER, A.EDIT, A.HANDLE)
    grant(Role.ENTERPRISE_ADMIN, A.EDIT, A.VERIFY, A.HANDLE, A.VALUES_EDIT)
    grant(Role.OUTLET_MANAGER, A.EDIT)
