"""The plans app's actions and what each role is granted (registered from ``PlansConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class PlanAction:
    PLAN_DISPATCH = register_action("plans.dispatch", "下发工作任务")
    PLAN_HANDLE = register_action("plans.handle", "签收、办理工作任务")
    # approve a dispatch before it goes out, cancel it (office / leading-group head)
    PLAN_APPROVE = register_action("plans.approve", "审批、撤销任务下发")
    # return, accept, adopt, publish progress reports; bulletins
    REPORT_REVIEW = register_action("plans.report_review", "审核进展报告、简报")


def grant_roles() -> None:
    P = PlanAction
    grant(Role.PROVINCE_ADMIN, P.PLAN_DISPATCH, P.PLAN_HANDLE, P.PLAN_APPROVE, P.REPORT_REVIEW)
    grant(Role.COMMITTEE_OFFICE, P.PLAN_DISPATCH, P.PLAN_HANDLE, P.PLAN_APPROVE, P.REPORT_REVIEW)
    grant(Role.DIVISION_USER, P.PLAN_HANDLE)
    grant(Role.CITY_ADMIN, P.PLAN_DISPATCH, P.PLAN_HANDLE, P.PLAN_APPROVE)
    grant(Role.CITY_USER, P.PLAN_HANDLE)
    # an enterprise handles what the regulator dispatches to it; it neither dispatches nor approves 督办
    grant(Role.ENTERPRISE_ADMIN, P.PLAN_HANDLE)
    grant(Role.OUTLET_MANAGER, P.PLAN_HANDLE)
