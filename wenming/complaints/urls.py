from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("volumes/", views.volume_list, name="volumes"),
    path("volumes/new/", views.volume_create, name="volume-create"),
    path("volumes/<int:pk>/", views.volume_detail, name="volume-detail"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/accept/", views.complaint_accept, name="accept"),
    path("<int:pk>/refuse/", views.complaint_refuse, name="refuse"),
    path("<int:pk>/reply/", views.complaint_reply, name="reply"),
    path("<int:pk>/progress/", views.complaint_progress, name="progress"),
    path("<int:pk>/return/", views.complaint_return, name="return"),
    path("<int:pk>/attempt/", views.complaint_attempt, name="attempt"),
    path("<int:pk>/callback/", views.complaint_callback, name="callback"),
    path("<int:pk>/mediate/", views.complaint_mediate, name="mediate"),
    path("<int:pk>/conclude/", views.complaint_conclude, name="conclude"),
    path("<int:pk>/reveal/", views.complaint_reveal, name="reveal"),
]
