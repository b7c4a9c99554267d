"""Public pages of voting, mounted at /p/voting/ inside the ``public`` namespace (names start with "voting-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
