from django.urls import path

from .views import staff as v

app_name = "voting"
urlpatterns: list = [
    path("", v.poll_list, name="list"),
    path("new/", v.poll_create, name="create"),
    path("<int:pk>/", v.poll_detail, name="detail"),
    path("<int:pk>/do/<str:name>/", v.poll_transition, name="transition"),
    path("<int:pk>/candidates/new/", v.candidate_add, name="candidate-add"),
    path("<int:pk>/candidates/<int:candidate_id>/consent/", v.candidate_consent, name="candidate-consent"),
    path("<int:pk>/offline/", v.offline_add, name="offline"),
    path("<int:pk>/anomalies/", v.anomalies, name="anomalies"),
    path("anomaly/<int:pk>/<str:action>/", v.anomaly_action, name="anomaly-action"),
    path("quarantine/<int:pk>/<str:action>/", v.quarantine_decide, name="quarantine"),
    path("<int:pk>/ledger/", v.ledger, name="ledger"),
]
