from django.apps import AppConfig


class CybersecurityConfig(AppConfig):
    name = "ioc.cybersecurity"
    label = "cybersecurity"
    verbose_name = "Giám sát an toàn thông tin / Information-security watch"

    def ready(self) -> None:
        from ioc.cybersecurity import handlers

        handlers.register()
