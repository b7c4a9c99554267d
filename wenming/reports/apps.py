from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wenming.reports"
    label = "reports"
    verbose_name = "统计报告"
