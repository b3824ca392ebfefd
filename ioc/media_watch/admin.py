"""The admin shows the watch read-only; every change goes through the services and the "Quản trị" pages (R5.7)."""

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.media_watch.models import CollectorRun, Item, Source, Topic


@admin.register(Source)
class SourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "status", "next_run_at", "failures")
    exclude = ("api_key_sealed",)


@admin.register(CollectorRun)
class CollectorRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("source", "started_at", "status", "items_new", "items_merged")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "query", "is_active")


@admin.register(Item)
class ItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "source", "published_at", "copies")
    exclude = ("signature", "folded")
