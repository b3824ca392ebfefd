from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ioc.accounts"
    label = "accounts"
    verbose_name = "Tài khoản / Accounts"
