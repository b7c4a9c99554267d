"""The certificates app's actions and what each role is granted (registered from ``CertificatesConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class CertificateAction:
    ISSUE = register_action("certificates.issue", "出具证书")
    REVOKE = register_action("certificates.revoke", "撤销证书")


def grant_roles() -> None:
    A = CertificateAction
    grant(Role.PROVINCE_ADMIN, A.ISSUE, A.REVOKE)
    grant(Role.COMMITTEE_OFFICE, A.ISSUE, A.REVOKE)
    grant(Role.CITY_ADMIN, A.ISSUE, A.REVOKE)
