from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# R4.5: the watch's messages (subject and body in Vietnamese, then English), registered with the notifications.
TEMPLATES = (
    (
        "media_watch.key_refused",
        "[IOC] Nền tảng từ chối khoá API của nguồn {{ source }}",
        "Nền tảng từ chối khoá API của nguồn tin «{{ source }}»{% if status %} (HTTP {{ status }}){% endif %}. "
        "Nguồn đang lỗi: không thu thập được tin cho đến khi quản trị viên nhập lại khoá "
        "(Quản trị › Theo dõi thông tin trên mạng › Nguồn tin: {{ path }}).",
        "[IOC] The platform refused the API key of source {{ source }}",
        "The platform refused the API key of source “{{ source }}”{% if status %} (HTTP {{ status }}){% endif %}. "
        "The source is failing: nothing is collected until an administrator enters the key again "
        "(Administration › Online-information watch › Sources: {{ path }}).",
    ),
)


class MediaWatchConfig(AppConfig):
    name = "ioc.media_watch"
    label = "media_watch"
    verbose_name = "Theo dõi thông tin trên mạng / Online-information watch"

    def ready(self) -> None:
        from ioc.media_watch import handlers
        from ioc.notifications.services import register_template

        handlers.register()
        for code, subject_vi, body_vi, subject_en, body_en in TEMPLATES:
            register_template(code, subject_vi, body_vi, subject_en, body_en)
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
