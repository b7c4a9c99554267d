"""Public pages of honours, mounted at /p/honours/ inside the ``public`` namespace (names start with "honours-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
