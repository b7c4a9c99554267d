"""URL configuration: staff workbench, accounts, API; public pages under /p/ (config.urls_public)."""

from django.urls import include, path

from wenming.core.views_health import healthz
from wenming.web.picker import picker_search

urlpatterns = [
    path("", include("wenming.workbench.urls")),
    path("accounts/", include("wenming.accounts.urls")),
    path("org/", include("wenming.organizations.urls")),
    path("people/", include("wenming.people.urls")),
    path("imports/", include("wenming.imports.urls")),
    path("audit/", include("wenming.audit.urls")),
    path("files/", include("wenming.exports.urls")),
    path("calendar/", include("wenming.workdays.urls")),
    path("plans/", include("wenming.plans.urls")),
    path("activities/", include("wenming.activities.urls")),
    path("api/v1/", include("wenming.api.urls")),
    path("p/", include("config.urls_public")),
    path("picker/<str:source>/", picker_search, name="picker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
    path("_bench/", include("bench.urls")),
]

handler500 = "wenming.core.views_errors.server_error"
