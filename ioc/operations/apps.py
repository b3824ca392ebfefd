from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ioc.operations"
    label = "operations"
    verbose_name = "Vận hành Trung tâm / Running the center"
