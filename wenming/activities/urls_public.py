"""Public volunteer pages, mounted at /p/volunteer/ inside the ``public`` namespace."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("e/<str:token>/", views_public.volunteer_scan, name="volunteer-scan"),
    path(
        "certificates/<str:serial>/<str:check>/",
        views_public.certificate_verify,
        name="volunteer-certificate",
    ),
]
