from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "ioc.backups"
    label = "backups"
    verbose_name = "Sao lưu / Backups"

    def ready(self) -> None:
        from ioc.backups import checks

        checks.register()
