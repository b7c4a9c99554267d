from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "wenming.imports"
    label = "imports"
    verbose_name = "导入"
