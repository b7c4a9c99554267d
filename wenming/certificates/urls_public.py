"""Public pages of certificates, mounted at /p/certificates/ inside the ``public`` namespace (names start with "certificates-")."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
