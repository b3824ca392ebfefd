"""A topic's page and a query's preview (R5.7, issue 22 items 3 and 6): the trend of its items hour by hour (the
last 7 days) or day by day (the last 90), each point beside its own baseline, and what a query typed on the
configuration page would have matched over the last 30 days before it is saved (through `search.iter_matching`:
the word index narrows, the matcher decides).

The hourly baseline is the hot-topic rule's (`services.hot`): the median of the same hour of the week over the 4
weeks before, with the threshold median + 3·max(1.4826·MAD, 1) above which the hour is hot. The daily baseline is
the median of the same weekday over the 4 weeks before. Hours and days are local (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from ioc.common.roles import Role, actor_has_role
from ioc.media_watch.models import Item, ItemTopic, Topic
from ioc.media_watch.query import parse
from ioc.media_watch.search import iter_matching
from ioc.media_watch.selectors.maps import VIEW_ROLES, can_view

HOURLY_POINTS = 7 * 24
DAILY_POINTS = 90
WEEKS = 4
PREVIEW_DAYS = 30
PREVIEW_MATCH_MAX = 20_000
PREVIEW_SAMPLES = 10
# The administrator who writes a topic previews it (press items, no personal data), as the watch's viewers may.
PREVIEW_ROLES = VIEW_ROLES | {Role.SYSTEM_ADMIN}


@dataclass(frozen=True)
class Trend:
    """Points of a topic's trend: labels (local), counts, baseline (median) and threshold (hourly only)."""

    step: str
    labels: list[str]
    counts: list[int]
    baseline: list[float]
    threshold: list[float] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "labels": self.labels,
            "counts": self.counts,
            "baseline": self.baseline,
            "threshold": self.threshold,
        }


def _mad_threshold(history: list[int]) -> tuple[float, float]:
    median = float(statistics.median(history)) if history else 0.0
    mad = float(statistics.median([abs(h - median) for h in history])) if history else 0.0
    return median, median + 3 * max(1.4826 * mad, 1.0)


def topic_trend(*, user: Any, topic: Topic, step: str = "hour", now: dt.datetime | None = None) -> Trend:
    """R5.7: the topic's counts per local hour (7 days) or day (90 days) with the baseline of each point; empty
    for a user who may not see the watch."""
    if not can_view(user):
        return Trend(step, [], [], [])
    now = timezone.localtime(now or timezone.now())
    if step == "day":
        return _daily(topic, now)
    return _hourly(topic, now)


def _hourly(topic: Topic, now: dt.datetime) -> Trend:
    end = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    start = end - dt.timedelta(hours=HOURLY_POINTS)
    since = start - dt.timedelta(weeks=WEEKS)
    rows = (
        ItemTopic.objects.filter(topic=topic, published_at__gte=since, published_at__lt=end)
        .annotate(slot=TruncHour("published_at"))
        .values("slot")
        .annotate(n=Count("pk"))
    )
    counts: Counter[dt.datetime] = Counter({timezone.localtime(r["slot"]): r["n"] for r in rows})
    labels, values, baseline, threshold = [], [], [], []
    for i in range(HOURLY_POINTS):
        slot = timezone.localtime(start + dt.timedelta(hours=i))
        history = [counts.get(timezone.localtime(slot - dt.timedelta(weeks=w)), 0) for w in range(1, WEEKS + 1)]
        median, limit = _mad_threshold(history)
        labels.append(slot.strftime("%d/%m %H:00"))
        values.append(counts.get(slot, 0))
        baseline.append(median)
        threshold.append(round(limit, 2))
    return Trend("hour", labels, values, baseline, threshold)


def _daily(topic: Topic, now: dt.datetime) -> Trend:
    today = now.date()
    first = today - dt.timedelta(days=DAILY_POINTS - 1)
    since = timezone.make_aware(dt.datetime.combine(first - dt.timedelta(weeks=WEEKS), dt.time()))
    rows = (
        ItemTopic.objects.filter(topic=topic, published_at__gte=since)
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(n=Count("pk"))
    )
    counts: Counter[dt.date] = Counter({r["day"]: r["n"] for r in rows})
    labels, values, baseline = [], [], []
    for i in range(DAILY_POINTS):
        day = first + dt.timedelta(days=i)
        history = [counts.get(day - dt.timedelta(weeks=w), 0) for w in range(1, WEEKS + 1)]
        labels.append(day.strftime("%d/%m"))
        values.append(counts.get(day, 0))
        baseline.append(float(statistics.median(history)))
    return Trend("day", labels, values, baseline)


def topic_items(*, user: Any, topic: Topic, limit: int = 20) -> list[Item]:
    """R5.7: the topic's newest items."""
    if not can_view(user):
        return []
    return list(
        Item.objects.filter(topic_links__topic=topic)
        .select_related("source")
        .only("pk", "title", "url", "published_at", "sentiment", "copies", "source__name")
        .order_by("-published_at", "-pk")[:limit]
    )


@dataclass
class Preview:
    """What a query would have matched over the last 30 days: the count, per local day, newest samples; `capped`
    when it matched more than PREVIEW_MATCH_MAX (the count is then a lower bound)."""

    total: int = 0
    days: list[tuple[str, int]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    capped: bool = False


def query_preview(*, user: Any, query: str, now: dt.datetime | None = None) -> Preview:
    """R5.7 ("previewed over the last 30 days before saving"): run a query over the items of the last 30 days.
    Raises `QueryError` (naming the position) when it does not parse."""
    tree = parse(query)
    if not actor_has_role(user, PREVIEW_ROLES):
        return Preview()
    now = now or timezone.now()
    preview, per_day = Preview(), Counter[dt.date]()
    since = now - dt.timedelta(days=PREVIEW_DAYS)
    for pk, title, _body, url, published in iter_matching(tree, since=since, until=now):
        if preview.total == PREVIEW_MATCH_MAX:
            preview.capped = True
            break
        preview.total += 1
        per_day[timezone.localtime(published).date()] += 1
        if len(preview.samples) < PREVIEW_SAMPLES:
            preview.samples.append({"pk": pk, "title": title, "url": url, "published_at": published})
    preview.days = [(day.strftime("%d/%m"), n) for day, n in sorted(per_day.items())]
    return preview
