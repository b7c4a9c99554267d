"""Public pages (namespace ``public``): no staff login, no ``visible_to``; explicit selectors only."""

from django.urls import include, path

app_name = "public"
urlpatterns: list = [
    path("volunteer/", include("wenming.activities.urls_public")),
]
