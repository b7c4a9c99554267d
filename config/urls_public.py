"""Public pages (namespace ``public``): no staff login, no ``visible_to``; explicit selectors only."""

from django.urls import include, path

app_name = "public"
urlpatterns: list = [
    # The busiest first (the vote, the survey submit): patterns are tried in order; the prefixes are disjoint.
    path("voting/", include("wenming.voting.urls_public")),
    path("surveys/", include("wenming.surveys.urls_public")),
    path("volunteer/", include("wenming.activities.urls_public")),
    path("certificates/", include("wenming.certificates.urls_public")),
    path("complaints/", include("wenming.complaints.urls_public")),
    path("honours/", include("wenming.honours.urls_public")),
    path("publicity/", include("wenming.publicity.urls_public")),
    path("portal/", include("wenming.portal.urls_public")),
]
