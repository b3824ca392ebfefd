from django.apps import AppConfig


class MapsConfig(AppConfig):
    """R6.1, R6.2: the digital map (layers, server clustering) and the selection by unit, radius or polygon."""

    name = "ioc.maps"
    label = "maps"
    verbose_name = "Bản đồ số / Digital map"
