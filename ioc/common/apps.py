from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ioc.common"
    label = "common"
    verbose_name = "Dùng chung / Common"
