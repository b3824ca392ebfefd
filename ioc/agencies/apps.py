from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "ioc.agencies"
    label = "agencies"
    verbose_name = "Cơ quan, đơn vị / Agencies"
