from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "wenming.people"
    label = "people"
    verbose_name = "人员"
