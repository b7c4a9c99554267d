from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "plans"
urlpatterns = [
    path("", login_required(RedirectView.as_view(pattern_name="plans:task-list")), name="index"),
    path("annual/", views.plan_index, name="plans"),
    path("annual/new/", views.plan_create, name="plan-create"),
    path("annual/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("annual/<int:pk>/mode/", views.plan_mode, name="plan-mode"),
    path("annual/<int:plan_pk>/goals/new/", views.goal_create, name="goal-create"),
    path("goals/<int:pk>/", views.goal_detail, name="goal-detail"),
    path("tasks/", views.task_index, name="tasks"),
    path("tasks/", views.task_index, name="task-list"),
    path("tasks/new/", views.dispatch_create, name="dispatch-create"),
    path("dispatches/<int:pk>/", views.dispatch_detail, name="dispatch-detail"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task-cancel"),
    path("tasks/<int:pk>/<slug:action>/", views.task_action, name="task-action"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("reports/", views.report_index, name="reports"),
    path("reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/<slug:action>/", views.report_action, name="report-action"),
    path("bulletins/", views.bulletin_index, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("institutions/", views.institution_index, name="institutions"),
    path("institutions/new/", views.institution_create, name="institution-create"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/file/", views.institution_file, name="institution-file"),
    path("statistics/", views.statistics, name="statistics"),
    path("settings/", views.settings_edit, name="settings"),
]
