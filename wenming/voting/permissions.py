"""The voting app's actions and what each role is granted (registered from ``VotingConfig.ready``)."""

from django.utils.translation import gettext_noop

from wenming.accounts.roles import Role, grant, register_action


class VotingAction:
    MANAGE = register_action("voting.manage", gettext_noop("网络投票：设置投票、候选人与线下票"))
    MONITOR = register_action("voting.monitor", gettext_noop("网络投票：查看实时票数与异常"))
    QUARANTINE_PROPOSE = register_action(
        "voting.quarantine_propose", gettext_noop("网络投票：提请隔离异常选票（安全管理员）")
    )
    QUARANTINE_DECIDE = register_action(
        "voting.quarantine_decide", gettext_noop("网络投票：确认隔离异常选票（审计管理员）")
    )
    LEDGER_EXPORT = register_action("voting.ledger_export", gettext_noop("网络投票：导出投票台账"))


def grant_roles() -> None:
    A = VotingAction
    grant(Role.PROVINCE_ADMIN, A.MANAGE, A.MONITOR, A.LEDGER_EXPORT)
    grant(Role.COMMITTEE_OFFICE, A.MANAGE, A.MONITOR, A.LEDGER_EXPORT)
    grant(Role.CITY_ADMIN, A.MANAGE, A.MONITOR, A.LEDGER_EXPORT)  # a city bureau runs its own city-level votes
    grant(Role.SECURITY_ADMIN, A.MONITOR, A.QUARANTINE_PROPOSE)
    grant(Role.AUDIT_ADMIN, A.MONITOR, A.QUARANTINE_DECIDE, A.LEDGER_EXPORT)
