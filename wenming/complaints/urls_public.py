"""Public pages of complaints, mounted at /p/complaints/ inside the ``public`` namespace (names start with "complaints-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
