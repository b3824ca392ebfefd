"""The live feed (R5.7, issue 22 item 6): the newest items, filtered by topic, folded keyword and sentiment."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from ioc.media_watch.models import HotState, Item, Topic
from ioc.media_watch.selectors.maps import can_view
from ioc.media_watch.text import fold_text

FEED_MAX = 50


def topics_active() -> list[tuple[int, str]]:
    return list(Topic.objects.filter(is_active=True).values_list("pk", "name"))


def items_feed(
    *, user: Any, topic_id: int | None = None, q: str = "", negative: bool = False, limit: int = FEED_MAX
) -> list[Item]:
    """R5.7: the newest items the filters keep ("ho guom" finds "Hồ Gươm": the keyword is folded); none for a
    user who may not see the watch."""
    if not can_view(user):
        return []
    items: QuerySet[Item] = Item.objects.select_related("source").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("pk", "name"))
    )
    if topic_id:
        items = items.filter(topic_links__topic_id=topic_id)
    folded = fold_text(q)
    if folded:
        items = items.filter(folded__contains=folded)
    if negative:
        items = items.filter(sentiment__lt=-0.15)
    fields = ("pk", "title", "url", "author", "published_at", "date_estimated", "copies", "sentiment", "source__name")
    return list(items.only(*fields).order_by("-published_at", "-pk")[: max(1, min(limit, FEED_MAX))])


def hot_now(*, user: Any) -> list[HotState]:
    """R5.7: the topics hot now (never the watch lists' entities: those are for granted users)."""
    if not can_view(user):
        return []
    return list(HotState.objects.filter(topic__isnull=False).select_related("topic", "unit").order_by("-last_count"))


def item_get(*, user: Any, pk: int) -> Item | None:
    """R5.7: one item with its source, topics and places for the watch's viewers (None for anyone else)."""
    if not can_view(user):
        return None
    return Item.objects.select_related("source").prefetch_related("topics", "places").filter(pk=pk).first()


def item_handlings(*, item: Item) -> list[Any]:
    """What the IOC did with the item: citizen reports made of it, forwards and their answers, oldest first."""
    return list(item.handlings.select_related("created_by").order_by("created_at", "pk"))
