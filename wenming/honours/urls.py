from django.urls import path

from . import views

app_name = "honours"
urlpatterns = [
    path("", views.cycle_list, name="cycle-list"),
    path("cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/do/<slug:action>/", views.cycle_action, name="cycle-action"),
    path("cycles/<int:pk>/tally/", views.tally_add, name="tally-add"),
    path("cycles/<int:cycle_pk>/apply/", views.application_new, name="application-new"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path("applications/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("applications/<int:pk>/evidence/reuse/", views.evidence_reuse, name="evidence-reuse"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence-remove"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence-file"),
    path("queue/", views.queue, name="queue"),
    path("objections/", views.objection_list, name="objection-list"),
    path("objections/<int:pk>/", views.objection_detail, name="objection-detail"),
    path("objections/<int:pk>/<slug:action>/", views.objection_action, name="objection-action"),
    path("titles/", views.title_list, name="title-list"),
    path("titles/<int:pk>/", views.title_detail, name="title-detail"),
    path("titles/<int:pk>/<slug:action>/", views.title_action, name="title-action"),
    path("manage/", views.manage, name="manage"),
]
