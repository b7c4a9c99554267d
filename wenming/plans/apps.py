from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wenming.plans"
    label = "plans"
    verbose_name = "工作督办"
