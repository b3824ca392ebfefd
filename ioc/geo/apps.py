from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ioc.geo"
    label = "geo"
    verbose_name = "Đơn vị hành chính / Administrative units"
