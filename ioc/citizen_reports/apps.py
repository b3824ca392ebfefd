from django.apps import AppConfig


class CitizenReportsConfig(AppConfig):
    name = "ioc.citizen_reports"
    label = "citizen_reports"
    verbose_name = "Phản ánh hiện trường / Citizen field reports"
