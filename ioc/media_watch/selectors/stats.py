"""Figures of a period for the reports (R5.7, R8.1; issue 22 item 6 "Report section: volume, hot topics,
complaints and answers on time")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from ioc.assignments.models import Assignment
from ioc.incidents.models import Alert
from ioc.media_watch.models import Handling, Item, ItemTopic
from ioc.media_watch.selectors.maps import can_view
from ioc.media_watch.sentiment import THRESHOLD

SOURCE = "media_watch"


def media_watch_period(*, user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """R5.7: items, negative items, hot-topic alerts, items made citizen reports, forwarded, answered and answered
    by the deadline, in [start, end); and (002:6.5) the items citing the authorities' own announcements with how
    they landed: positive and negative among them. Zeros for a user who may not see the watch."""
    keys = ("items", "negative", "hot", "reports", "forwarded", "answered", "on_time")
    empty = dict.fromkeys((*keys, "official", "official_positive", "official_negative"), 0)
    if not can_view(user):
        return empty
    negative, positive, official = Q(sentiment__lt=-THRESHOLD), Q(sentiment__gt=THRESHOLD), Q(cites_authorities=True)
    items = Item.objects.filter(published_at__gte=start, published_at__lt=end).aggregate(
        items=Count("pk"),
        negative=Count("pk", filter=negative),
        official=Count("pk", filter=official),
        official_positive=Count("pk", filter=official & positive),
        official_negative=Count("pk", filter=official & negative),
    )
    hot = Alert.objects.filter(
        source=SOURCE, kind="media.hot_topic", first_seen_at__gte=start, first_seen_at__lt=end
    ).count()
    handlings = Handling.objects.filter(created_at__gte=start, created_at__lt=end)
    forwarded = list(handlings.filter(kind=Handling.KIND_FORWARD).values_list("assignment_id", "answered_at"))
    deadlines = dict(Assignment.objects.filter(pk__in=[a for a, _ in forwarded if a]).values_list("pk", "deadline_at"))
    on_time = sum(1 for a, when in forwarded if when is not None and a in deadlines and when <= deadlines[a])
    return {
        **items,
        "hot": hot,
        "reports": handlings.filter(kind=Handling.KIND_REPORT).count(),
        "forwarded": len(forwarded),
        "answered": sum(1 for _a, when in forwarded if when is not None),
        "on_time": on_time,
    }


def media_watch_by_topic(*, user: Any, start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
    """R5.7: items per topic in [start, end), most first."""
    if not can_view(user):
        return []
    rows = (
        ItemTopic.objects.filter(published_at__gte=start, published_at__lt=end)
        .values_list("topic__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__name")
    )
    return [(name, n) for name, n in rows]
