from django.apps import AppConfig
from django.utils.translation import gettext_noop


class SurveysConfig(AppConfig):
    name = "wenming.surveys"
    label = "surveys"
    verbose_name = "满意度调查"

    def ready(self) -> None:
        from datetime import time, timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import documents, permissions, tasks  # noqa: F401  (documents registers the poster builder)

        permissions.grant_roles()
        register_menu(gettext_noop("满意度"), gettext_noop("满意度指数"), "surveys:dashboard", Action.VIEW, order=400)
        register_menu(gettext_noop("满意度"), gettext_noop("答卷明细"), "surveys:responses", Action.VIEW, order=401)
        register_menu(
            gettext_noop("满意度"),
            gettext_noop("留言与跟进"),
            "surveys:comments",
            permissions.SurveyAction.FOLLOW_UP,
            order=402,
        )
        register_menu(
            gettext_noop("满意度"),
            gettext_noop("问卷与二维码"),
            "surveys:questionnaires",
            permissions.SurveyAction.MANAGE,
            order=403,
        )
        register_periodic("surveys.rollup_refresh", every=timedelta(minutes=2), run=tasks.rollup_refresh.call)
        register_periodic("surveys.comments", every=timedelta(minutes=10), run=tasks.analyse_comments.call)
        register_periodic("surveys.rollup_check", daily_at=time(2, 30), run=tasks.rollup_check.call)
        register_periodic("surveys.partitions", daily_at=time(2, 10), run=tasks.ensure_partitions.call)
