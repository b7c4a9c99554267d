"""Public volunteer pages, mounted at /p/volunteer/ inside the ``public`` namespace."""

from django.urls import path

from wenming.certificates.views_public import certificate_verify

from . import views_public

urlpatterns = [
    path("e/<str:token>/", views_public.volunteer_scan, name="volunteer-scan"),
    # printed on certificates issued before the one certificate mechanism: the same verification page
    path("certificates/<str:serial>/<str:check>/", certificate_verify, name="volunteer-certificate"),
]
