from django.apps import AppConfig


class MediaWatchConfig(AppConfig):
    name = "ioc.media_watch"
    label = "media_watch"
    verbose_name = "Theo dõi thông tin trên mạng / Online-information watch"

    def ready(self) -> None:
        from ioc.media_watch import handlers

        handlers.register()
