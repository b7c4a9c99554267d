from django.urls import path

from . import views as v

app_name = "publicity"
urlpatterns = [
    path("exemplars/", v.exemplar_list, name="exemplar-list"),
    path("exemplars/new/", v.exemplar_create, name="exemplar-create"),
    path("exemplars/<int:pk>/", v.exemplar_detail, name="exemplar-detail"),
    path("exemplars/<int:pk>/edit/", v.exemplar_edit, name="exemplar-edit"),
    path("exemplars/<int:pk>/consent/", v.exemplar_consent, name="exemplar-consent"),
    path("exemplars/<int:pk>/withdraw/", v.exemplar_withdraw, name="exemplar-withdraw"),
    path("exemplars/<int:pk>/do/<slug:name>/", v.exemplar_move, name="exemplar-move"),
    path("exemplars/photos/<int:pk>/", v.exemplar_photo, name="exemplar-photo"),
    path("exemplars/photos/<int:pk>/remove/", v.exemplar_photo_remove, name="exemplar-photo-remove"),
    path("coverage/", v.coverage_list, name="coverage-list"),
    path("coverage/new/", v.coverage_create, name="coverage-create"),
    path("coverage/stats/", v.coverage_stats, name="coverage-stats"),
    path("coverage/<int:pk>/", v.coverage_detail, name="coverage-detail"),
    path("coverage/<int:pk>/edit/", v.coverage_edit, name="coverage-edit"),
    path("coverage/<int:pk>/clipping/", v.clipping_file, name="coverage-clipping"),
    path("notices/", v.notice_list, name="notice-list"),
    path("notices/new/", v.notice_create, name="notice-create"),
    path("notices/<int:pk>/", v.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/send/", v.notice_send, name="notice-send"),
    path("notices/<int:pk>/remind/", v.notice_remind, name="notice-remind"),
    path("notices/files/<int:pk>/", v.notice_attachment, name="notice-attachment"),
    path("inbox/", v.inbox_list, name="inbox"),
    path("inbox/<int:pk>/", v.inbox_detail, name="inbox-detail"),
    path("suggestions/", v.suggestion_list, name="suggestion-list"),
    path("suggestions/new/", v.suggestion_create, name="suggestion-create"),
    path("suggestions/<int:pk>/", v.suggestion_detail, name="suggestion-detail"),
    path("suggestions/<int:pk>/do/<slug:name>/", v.suggestion_move, name="suggestion-move"),
    path("values/", v.values_list, name="values-list"),
    path("values/new/", v.values_create, name="values-create"),
    path("values/<int:pk>/", v.values_detail, name="values-detail"),
    path("values/<int:pk>/edit/", v.values_edit, name="values-edit"),
    path("values/<int:pk>/do/<slug:name>/", v.values_move, name="values-move"),
]
