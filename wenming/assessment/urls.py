from django.urls import path

from .views import adjustments, ranking, schemes

app_name = "assessment"
urlpatterns = [
    path("ranking/", ranking.ranking_page, name="ranking"),
    path("ranking/<int:org_id>/<slug:key>/", ranking.cell_detail, name="cell"),
    path("schemes/", schemes.scheme_list, name="scheme-list"),
    path("schemes/new/", schemes.scheme_edit, name="scheme-create"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme-detail"),
    path("schemes/<int:pk>/edit/", schemes.scheme_edit, name="scheme-edit"),
    path("schemes/<int:pk>/publish/", schemes.scheme_publish, name="scheme-publish"),
    path("schemes/<int:pk>/new-version/", schemes.scheme_new_version, name="scheme-new-version"),
    path("adjustments/", adjustments.adjustment_list, name="adjustment-list"),
    path("adjustments/<int:pk>/revoke/", adjustments.adjustment_revoke, name="adjustment-revoke"),
]
