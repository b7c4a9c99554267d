from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wenming.accounts"
    label = "accounts"
    verbose_name = "账号与安全"
