"""Database routing (docs/decisions/0002): on a one-machine SQLite deployment the shared cache's table lives in a
database of its own (`DATABASES["cache"]`), everything else in `default`.

Django's DatabaseCache reads and writes through its own model (app label `django_cache`); `createcachetable`
asks `allow_migrate` where to create the table. Without a `cache` database (PostgreSQL, tests) this router is not
installed and the table stays in `default`.
"""

from __future__ import annotations

from typing import Any

CACHE_APP_LABEL = "django_cache"
CACHE_ALIAS = "cache"


class CacheRouter:
    """The cache table in the `cache` database; nothing else there."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return CACHE_ALIAS if model._meta.app_label == CACHE_APP_LABEL else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return CACHE_ALIAS if model._meta.app_label == CACHE_APP_LABEL else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        if app_label == CACHE_APP_LABEL:
            return db == CACHE_ALIAS
        return db != CACHE_ALIAS
