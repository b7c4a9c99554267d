"""URL configuration: staff workbench, accounts, API; public pages under /p/ (config.urls_public)."""

from django.urls import include, path

from wenming.console.accounts import urls as accounts_urls
from wenming.console.organizations import urls_accounts
from wenming.core.views_health import healthz
from wenming.web.picker import picker_search

# One ``accounts:`` namespace: identity pages (accounts) and user administration (organizations, which
# owns the scope every administration decision reads; docs/adr/0007-layers.md).
ACCOUNTS_URLS = (accounts_urls.urlpatterns + urls_accounts.urlpatterns, accounts_urls.app_name)

urlpatterns = [
    # The public pages first: Django tries the patterns in order, and the vote and survey submits under
    # /p/ are the busiest paths (quality.md V1, S1); the prefixes are disjoint, so the order changes no match.
    path("p/", include("config.urls_public")),
    path("", include("wenming.portal.urls_root")),  # the public portal is the front door
    path("workbench/", include("wenming.workbench.urls")),
    path("accounts/tokens/", include("wenming.api.urls_pages")),
    path("accounts/", include(ACCOUNTS_URLS)),
    path("org/", include("wenming.console.organizations.urls")),
    path("people/", include("wenming.console.people.urls")),
    path("imports/", include("wenming.imports.urls")),
    path("audit/", include("wenming.console.audit.urls")),
    path("files/", include("wenming.console.exports.urls")),
    path("calendar/", include("wenming.workdays.urls")),
    path("plans/", include("wenming.plans.urls")),
    path("activities/", include("wenming.activities.urls")),
    path("certificates/", include("wenming.certificates.urls")),
    path("judging/", include("wenming.judging.urls")),
    path("complaints/", include("wenming.complaints.urls")),
    path("surveys/", include("wenming.surveys.urls")),
    path("honours/", include("wenming.honours.urls")),
    path("voting/", include("wenming.voting.urls")),
    path("publicity/", include("wenming.publicity.urls")),
    path("portal/", include("wenming.portal.urls")),
    path("assessment/", include("wenming.assessment.urls")),
    path("dashboards/", include("wenming.dashboards.urls")),
    path("reports/", include("wenming.reports.urls")),
    path("api/v1/", include("wenming.api.urls")),
    path("picker/<str:source>/", picker_search, name="picker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
    path("_bench/", include("bench.urls")),
]

handler500 = "wenming.core.views_errors.server_error"
