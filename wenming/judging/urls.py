from django.urls import path

from .views import committee, expert, rounds, schemes

app_name = "judging"
urlpatterns = [
    # the expert's workbench
    path("", expert.queue, name="queue"),
    path("score/<int:pk>/", expert.score, name="score"),
    path("score/<int:pk>/conflict/", expert.conflict, name="conflict"),
    # indicator schemes
    path("schemes/", schemes.scheme_list, name="scheme-list"),
    path("schemes/new/", schemes.scheme_create, name="scheme-create"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme-detail"),
    path("schemes/<int:pk>/edit/", schemes.scheme_edit, name="scheme-edit"),
    path("schemes/<int:pk>/publish/", schemes.scheme_publish, name="scheme-publish"),
    path("schemes/<int:pk>/new-version/", schemes.scheme_new_version, name="scheme-new-version"),
    path("schemes/<int:pk>/indicators/new/", schemes.indicator_create, name="indicator-create"),
    path("indicators/<int:pk>/edit/", schemes.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/move/", schemes.indicator_move, name="indicator-move"),
    path("indicators/<int:pk>/delete/", schemes.indicator_delete, name="indicator-delete"),
    path("schemes/<int:pk>/vetoes/new/", schemes.veto_create, name="veto-create"),
    path("vetoes/<int:pk>/delete/", schemes.veto_delete, name="veto-delete"),
    # rounds, panels, assignment, ranking
    path("rounds/", rounds.round_list, name="round-list"),
    path("rounds/new/", rounds.round_create, name="round-create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round-detail"),
    path("rounds/<int:pk>/ranking/", rounds.round_ranking, name="round-ranking"),
    path("rounds/<int:pk>/assign/", rounds.round_assign, name="round-assign"),
    path("rounds/<int:pk>/assign-random/", rounds.round_assign_random, name="round-assign-random"),
    path("rounds/<int:pk>/<str:action>/", rounds.round_transition, name="round-transition"),
    path("assignments/<int:pk>/return/", rounds.assignment_return, name="assignment-return"),
    path("panels/", rounds.panel_list, name="panel-list"),
    path("panels/<int:pk>/", rounds.panel_detail, name="panel-detail"),
    # committee votes
    path("committee/", committee.committee_list, name="committee-list"),
    path("committee/new/", committee.committee_create, name="committee-create"),
    path("committee/<int:pk>/", committee.committee_detail, name="committee-detail"),
    path("committee/<int:pk>/open/", committee.committee_start, name="committee-open"),
    path("committee/<int:pk>/cast/", committee.committee_cast, name="committee-cast"),
    path("committee/<int:pk>/close/", committee.committee_close, name="committee-close"),
]
