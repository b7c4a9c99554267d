"""Public pages of complaints, mounted at /p/complaints/ inside the ``public`` namespace (names start with "complaints-")."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.complaint_form, name="complaints-form"),
    path("outlets/", views_public.outlet_options, name="complaints-outlets"),
    path("lookup/", views_public.complaint_lookup, name="complaints-lookup"),
]
