from django.apps import AppConfig
from django.utils.translation import gettext_noop


class VotingConfig(AppConfig):
    name = "wenming.voting"
    label = "voting"
    verbose_name = "网络投票"

    def ready(self) -> None:
        from datetime import timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.integrity import register_integrity_check
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic
        from wenming.workbench.services import register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import jobs, permissions, rules
        from .todos import voting_todos

        permissions.grant_roles()
        rules.register_rules()
        register_menu(
            gettext_noop("网络投票"),
            gettext_noop("投票管理"),
            "voting:list",
            permissions.VotingAction.MONITOR,
            order=700,
        )
        register_todo_provider(voting_todos)
        register_periodic("voting.flush", every=timedelta(minutes=1), run=jobs.flush_once)
        register_periodic("voting.anomalies", every=timedelta(minutes=1), run=jobs.scan_anomalies)
        register_periodic("voting.close", every=timedelta(minutes=1), run=jobs.close_due)
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import editions

        editions.register()  # the "online" tally source of the honours editions, and their offline channel
        register_integrity_check("voting.ledger", "网络投票台账", jobs.verify_integrity)
