"""What the configuration pages under "Quản trị" read (R5.7): sources with their last runs, topics, watch lists,
and the staff an administrator may grant a watch list to. Only the configuring roles reach these pages (urls.py);
a watch list's entities are personal data and are read through `watch.watchlist_config_open` (audited)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from ioc.accounts.models import User
from ioc.media_watch.models import CollectorRun, Source, Topic, WatchEntity, WatchList
from ioc.media_watch.selectors.maps import VIEW_ROLES

RUNS_SHOWN = 10


def sources_all() -> list[Source]:
    """Every source, active first (the page shows retired ones apart), with its item count."""
    return list(Source.objects.annotate(item_count=Count("items")).order_by("-is_active", "name"))


def source_get(*, pk: int) -> Source | None:
    return Source.objects.filter(pk=pk).first()


def source_runs(*, source: Source, limit: int = RUNS_SHOWN) -> list[CollectorRun]:
    """R5.7: the source's last runs ("every run recorded"), newest first."""
    return list(CollectorRun.objects.filter(source=source).order_by("-started_at", "-pk")[:limit])


def topics_all() -> list[Topic]:
    return list(Topic.objects.annotate(item_count=Count("item_links")).order_by("-is_active", "name"))


def topic_get(*, pk: int, active_only: bool = False) -> Topic | None:
    topics = Topic.objects.filter(is_active=True) if active_only else Topic.objects.all()
    return topics.filter(pk=pk).first()


def watchlists_all() -> list[WatchList]:
    """Watch lists by name and size only (their entities are opened one list at a time, audited)."""
    return list(
        WatchList.objects.annotate(
            entity_count=Count("entities"), viewer_count=Count("viewers", distinct=True)
        ).order_by("-is_active", "name")
    )


def watchlist_get(*, pk: int) -> WatchList | None:
    return WatchList.objects.filter(pk=pk).first()


def entity_get(*, pk: int) -> WatchEntity | None:
    return WatchEntity.objects.select_related("watch_list").filter(pk=pk).first()


def grantable_users() -> QuerySet[User]:
    """R5.7: the users a watch list may be granted to — active accounts holding a role that sees the watch."""
    return (
        User.objects.filter(
            is_active=True, role_assignments__role__in=sorted(VIEW_ROLES), role_assignments__revoked_at__isnull=True
        )
        .distinct()
        .order_by("full_name", "username")
    )


def user_label(user: Any) -> str:
    return str(getattr(user, "full_name", "") or user.username)
