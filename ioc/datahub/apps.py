from django.apps import AppConfig


class DatahubConfig(AppConfig):
    name = "ioc.datahub"
    label = "datahub"
    verbose_name = "Kho dữ liệu dùng chung / Shared data hub"

    def ready(self) -> None:
        from ioc.datahub import notices

        notices.register()
