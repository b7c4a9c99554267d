"""Public pages of portal, mounted at /p/portal/ inside the ``public`` namespace (names start with "portal-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
