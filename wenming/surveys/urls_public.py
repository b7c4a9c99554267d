"""Public pages of surveys, mounted at /p/surveys/ inside the ``public`` namespace (names start with "surveys-")."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("o/<str:token>/", views_public.outlet_survey, name="surveys-outlet"),
]
