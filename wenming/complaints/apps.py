from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ComplaintsConfig(AppConfig):
    name = "wenming.complaints"
    label = "complaints"
    verbose_name = "申诉处理"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from datetime import time, timedelta

        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic
        from wenming.workbench.services import register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import checks, permissions  # noqa: F401  (checks registers the retention check)
        from .permissions import ComplaintAction as CA
        from .tasks import flag_overdue_cases, purge_complaint_files
        from .todos import complaint_todos
        from .volume_import import register as register_volume_import

        permissions.grant_roles()
        group = gettext_noop("申诉处理")
        register_menu(group, gettext_noop("申诉案件"), "complaints:list", Action.VIEW, order=400)
        register_menu(group, gettext_noop("登记电话、信函申诉"), "complaints:create", CA.HANDLE, order=401)
        register_menu(group, gettext_noop("申诉统计"), "complaints:statistics", Action.SUPERVISE, order=402)
        register_menu(group, gettext_noop("企业月度业务量"), "complaints:volumes", Action.VIEW, order=403)
        register_todo_provider(complaint_todos)
        register_volume_import()  # monthly item volumes by Excel, through wenming.imports
        # Time limits are dates: flag hourly so a limit missed at midnight shows in the morning.
        register_periodic("complaints.flag_overdue", every=timedelta(hours=1), run=flag_overdue_cases.call)
        register_periodic("complaints.purge_files", daily_at=time(3, 30), run=purge_complaint_files.call)
