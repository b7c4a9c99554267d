from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "wenming.assessment"
    label = "assessment"
    verbose_name = "城市考核"
