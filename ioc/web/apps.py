from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ioc.web"
    label = "web"
    verbose_name = "Giao diện / Web"
