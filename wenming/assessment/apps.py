from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class AssessmentConfig(AppConfig):
    name = "wenming.assessment"
    label = "assessment"
    verbose_name = "城市考核"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import indicators, permissions
        from .tasks import refresh_current

        permissions.grant_roles()
        indicators.register_all()
        A = permissions.AssessmentAction
        group = gettext_noop("考核评估")
        register_menu(group, gettext_noop("考核排名"), "assessment:ranking", A.VIEW, order=700)
        register_menu(group, gettext_noop("考核方案"), "assessment:scheme-list", A.MANAGE, order=701)
        register_menu(group, gettext_noop("加减分"), "assessment:adjustment-list", A.VIEW, order=702)
        register_periodic("assessment.refresh_snapshots", every=timedelta(hours=1), run=refresh_current.call)
