from django.apps import AppConfig


class SensorsConfig(AppConfig):
    name = "ioc.sensors"
    label = "sensors"
    verbose_name = "Cảm biến / Sensors"
