from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "ioc.sharing"
    label = "sharing"
    verbose_name = "Chia sẻ dữ liệu / Data sharing"

    def ready(self) -> None:
        from ioc.sharing import notices

        notices.register()
