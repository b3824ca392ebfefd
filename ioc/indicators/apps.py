from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ioc.indicators"
    label = "indicators"
    verbose_name = "Bộ chỉ số / Indicators"

    def ready(self) -> None:
        from ioc.indicators import notices

        notices.register()
