from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ioc.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu / Demo"
