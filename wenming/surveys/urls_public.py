"""Public pages of surveys, mounted at /p/surveys/ inside the ``public`` namespace (names start with "surveys-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
