from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (``seed_demo``): sits above every app whose rows it builds, so ``core`` imports none of them."""

    name = "wenming.demo"
    label = "wenming_demo"
    verbose_name = "演示数据"
