"""Public pages of certificates, mounted at /p/certificates/ inside the ``public`` namespace (names start with "certificates-")."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("<str:serial>/<str:check>/", views_public.certificate_verify, name="certificates-verify"),
]
