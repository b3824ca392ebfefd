from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "ioc.sectors"
    label = "sectors"
    verbose_name = "Bảng điều khiển lĩnh vực / Sector dashboards"
