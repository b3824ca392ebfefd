from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MediaWatchConfig(AppConfig):
    name = "ioc.media_watch"
    label = "media_watch"
    verbose_name = "Theo dõi thông tin trên mạng / Online-information watch"

    def ready(self) -> None:
        from ioc.media_watch import handlers

        handlers.register()
        post_migrate.connect(_search_index_ensure, sender=self)


def _search_index_ensure(*, using: str, **kwargs: Any) -> None:
    """R5.7: after every `migrate`, the topic query's index triggers exist (search.index_ensure): a later migration
    that rebuilds the items table on SQLite would otherwise drop them."""
    from django.db import connections, router

    from ioc.media_watch.models import Item
    from ioc.media_watch.search import ITEM_TABLE, index_ensure

    if not router.allow_migrate_model(using, Item):
        return
    if ITEM_TABLE in connections[using].introspection.table_names():
        index_ensure(using=using)
