from django.apps import AppConfig


class RegulationConfig(AppConfig):
    name = "ioc.regulation"
    label = "regulation"
    verbose_name = "Quy chế / Regulation"
