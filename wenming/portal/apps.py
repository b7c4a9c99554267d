from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wenming.portal"
    label = "portal"
    verbose_name = "门户网站"
