from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "ioc.duty"
    label = "duty"
    verbose_name = "Trực ban / Duty"
