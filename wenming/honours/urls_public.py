"""Public pages of honours, mounted at /p/honours/ inside the ``public`` namespace (names start with "honours-")."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("notices/", views_public.notice_index, name="honours-notices"),
    path("notices/<int:pk>/", views_public.notice_detail, name="honours-notice"),
    path("roll/", views_public.roll, name="honours-roll"),
]
