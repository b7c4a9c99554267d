from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_year, name="calendar"),
    path("days/", views.calendar_day_save, name="day-save"),
    path("notice/", views.holiday_notice, name="notice"),
    path("days/<int:pk>/delete/", views.calendar_day_remove, name="day-delete"),
]
