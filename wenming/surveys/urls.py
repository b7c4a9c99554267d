from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("outlets/<int:pk>/", views.outlet_detail, name="outlet"),
    path("outlets/<int:pk>/poster.pdf", views.poster_outlet, name="poster"),
    path("posters/", views.poster_batch, name="posters"),
    path("responses/", views.response_list, name="responses"),
    path("comments/", views.comment_list, name="comments"),
    path("comments/<int:pk>/handle/", views.comment_handle, name="comment-handle"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire-create"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/publish/", views.questionnaire_publish, name="questionnaire-publish"),
    path("questionnaires/<int:pk>/retire/", views.questionnaire_retire, name="questionnaire-retire"),
    path("questionnaires/<int:pk>/new-version/", views.questionnaire_new_version, name="questionnaire-new-version"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question-delete"),
    path("effect/<str:kind>/<int:pk>/", views.effect_panel, name="effect"),
]
