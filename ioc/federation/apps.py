from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "ioc.federation"
    label = "federation"
    verbose_name = "Liên thông giữa các trung tâm / Federation"
