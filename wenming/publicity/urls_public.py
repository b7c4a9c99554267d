"""Public pages of publicity, mounted at /p/publicity/ inside the ``public`` namespace (names start with "publicity-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
