"""Public pages of publicity, mounted at /p/publicity/ inside the ``public`` namespace (names start with "publicity-")."""

from django.urls import path

from . import views_public as v

urlpatterns = [
    path("people/", v.profile_list, name="publicity-profiles"),
    path("people/<str:key>/", v.profile_detail, name="publicity-profile"),
    path("photos/<str:key>/", v.profile_photo, name="publicity-photo"),
    path("suggest/", v.suggest, name="publicity-suggest"),
    path("suggest/notice/", v.suggest_notice, name="publicity-suggest-notice"),
    path("suggestions/", v.suggestion_list, name="publicity-suggestions"),
    path("units/<int:pk>/", v.unit_page, name="publicity-unit"),
]
