from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "wenming.honours"
    label = "honours"
    verbose_name = "荣誉评选"
