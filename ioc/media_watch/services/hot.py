"""Hot topics (R5.7, R4.1; 004:6.6 "những vấn đề nóng … đang lan truyền nhanh trên mạng được thông báo kịp thời").

Every 5 minutes (tasks.py), for each active topic × area (each 2025 commune its items name, and the whole
territory) the count of the last 60 minutes is compared with its own baseline: the counts of the same 60 minutes
one, two, three and four weeks earlier (the same hour of the week). With m their median and MAD their median
absolute deviation, the topic is hot when count ≥ the topic's minimum and count > m + 3·max(1.4826·MAD, 1). A
newly hot topic raises `alert_raise(source="media_watch", kind="media.hot_topic", dedup_key="<topic>:<area>")`
with its top items; while hot, each evaluation repeats the raise (the alert's count and last-seen move); when it is
no longer hot, `alert_resolve`. The same rule over watched organisations and people (territory-wide) raises
`media.watch_list`, its title naming the list, never the person. `HotState` keeps what is open.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.common.choices import Severity
from ioc.geo.models import AdminUnit
from ioc.incidents.services import alert_raise, alert_resolve
from ioc.media_watch.models import HotState, Item, ItemTopic, Topic, WatchEntity
from ioc.media_watch.services._base import now as clock

SOURCE = "media_watch"
HOT_KIND = "media.hot_topic"
WATCH_KIND = "media.watch_list"
WINDOW = dt.timedelta(hours=1)
WEEKS = 4
TOP_ITEMS = 5
ALL = "all"


@dataclass(frozen=True)
class Judgement:
    count: int
    baseline: float
    threshold: float
    hot: bool


def judge(count: int, history: list[int], *, minimum: int) -> Judgement:
    """R5.7: hot when count ≥ minimum and count > median + 3·max(1.4826·MAD, 1) of the same hour in past weeks."""
    median = statistics.median(history) if history else 0.0
    mad = statistics.median([abs(h - median) for h in history]) if history else 0.0
    threshold = median + 3 * max(1.4826 * mad, 1.0)
    return Judgement(count, float(median), threshold, count >= minimum and count > threshold)


def _topic_counts(start: dt.datetime, end: dt.datetime) -> Counter[tuple[int, str]]:
    rows = (
        ItemTopic.objects.filter(published_at__gte=start, published_at__lt=end, topic__is_active=True)
        .values("topic_id", "unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter[tuple[int, str]] = Counter()
    for row in rows:
        counts[(row["topic_id"], ALL)] += row["n"]
        if row["unit_id"] is not None:
            counts[(row["topic_id"], str(row["unit_id"]))] += row["n"]
    return counts


def _entity_counts(start: dt.datetime, end: dt.datetime) -> Counter[tuple[int, str]]:
    rows = (
        Item.entities.through.objects.filter(item__published_at__gte=start, item__published_at__lt=end)
        .values("watchentity_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({(row["watchentity_id"], ALL): row["n"] for row in rows})


def _windows(now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(now - WINDOW - dt.timedelta(weeks=k), now - dt.timedelta(weeks=k)) for k in range(WEEKS + 1)]


def _top_items(now: dt.datetime, *, topic_id: int | None, entity_id: int | None, unit: str) -> list[dict[str, object]]:
    items = Item.objects.filter(published_at__gte=now - WINDOW, published_at__lt=now)
    if topic_id is not None:
        items = items.filter(topic_links__topic_id=topic_id)
        if unit != ALL:
            items = items.filter(topic_links__unit_id=int(unit))
    else:
        items = items.filter(entities__pk=entity_id or 0)
    rows = items.order_by("-copies", "-published_at").values("pk", "title", "url", "copies")[:TOP_ITEMS]
    return [{"id": r["pk"], "title": r["title"][:200], "url": r["url"], "copies": r["copies"]} for r in rows]


@dataclass
class HotResult:
    raised: int = 0
    resolved: int = 0


def hot_topics_evaluate(*, now: dt.datetime | None = None) -> HotResult:
    """R5.7: judge every topic × area and watched entity; raise, repeat or resolve their alerts."""
    now = now or clock()
    windows = _windows(now)
    topics = [_topic_counts(start, end) for start, end in windows]
    entities = [_entity_counts(start, end) for start, end in windows]
    minimum_topic = dict(Topic.objects.filter(is_active=True).values_list("pk", "min_hourly"))
    minimum_entity = dict(WatchEntity.objects.filter(is_active=True).values_list("pk", "min_hourly"))
    result = HotResult()
    hot_now: set[str] = set()
    for kind, series, minimum in ((HOT_KIND, topics, minimum_topic), (WATCH_KIND, entities, minimum_entity)):
        verdicts = {
            (subject, area): judge(count, [w[(subject, area)] for w in series[1:]], minimum=minimum[subject])
            for (subject, area), count in series[0].items()
            if subject in minimum
        }
        local = {subject for (subject, area), v in verdicts.items() if v.hot and area != ALL}
        for (subject, area), verdict in sorted(verdicts.items()):
            if verdict.hot and not (area == ALL and subject in local):  # a commune's surge is one alert, not two
                key = _key(kind, subject, area)
                hot_now.add(key)
                result.raised += int(_raise(kind, subject, area, verdict, now, key))
    for state in HotState.objects.exclude(key__in=hot_now):
        result.resolved += int(_resolve(state, now))
    return result


def _key(kind: str, subject: int, area: str) -> str:
    return f"{subject}:{area}" if kind == HOT_KIND else f"entity:{subject}"


@transaction.atomic
def _raise(kind: str, subject: int, area: str, verdict: Judgement, now: dt.datetime, key: str) -> bool:
    """Raise (or repeat) the alert; True when it is newly hot."""
    unit = AdminUnit.objects.filter(pk=int(area)).first() if area != ALL else None
    is_topic = kind == HOT_KIND
    topic = Topic.objects.get(pk=subject) if is_topic else None
    entity = None if is_topic else WatchEntity.objects.select_related("watch_list").get(pk=subject)
    if topic is not None:
        title = _("Chủ đề nóng: %(topic)s (%(count)d tin trong 1 giờ)") % {"topic": topic.name, "count": verdict.count}
    else:
        assert entity is not None
        title = _("Danh sách theo dõi “%(list)s”: %(count)d tin trong 1 giờ") % {
            "list": entity.watch_list.name,
            "count": verdict.count,
        }
    payload = {
        "count": verdict.count,
        "baseline": verdict.baseline,
        "threshold": round(verdict.threshold, 2),
        "items": _top_items(
            now, topic_id=subject if is_topic else None, entity_id=None if is_topic else subject, unit=area
        )
        if is_topic
        else [],
        "topic_id": subject if is_topic else None,
    }
    severity = Severity.HIGH if verdict.count >= 2 * max(verdict.threshold, 1) else Severity.MEDIUM
    alert_raise(
        source=SOURCE,
        dedup_key=key,
        kind=kind,
        severity=severity,
        title=title[:200],
        occurred_at=now,
        unit=unit,
        payload=payload,
        actor=system_account(),
    )
    _state, created = HotState.objects.update_or_create(
        key=key,
        defaults={
            "kind": kind,
            "topic": topic,
            "entity": entity,
            "unit": unit,
            "last_count": verdict.count,
            "baseline": verdict.baseline,
        },
        create_defaults={
            "kind": kind,
            "topic": topic,
            "entity": entity,
            "unit": unit,
            "raised_at": now,
            "last_count": verdict.count,
            "baseline": verdict.baseline,
        },
    )
    return created


@transaction.atomic
def _resolve(state: HotState, now: dt.datetime) -> bool:
    alert_resolve(source=SOURCE, dedup_key=state.key, resolved_at=now, actor=system_account())
    return bool(HotState.objects.filter(pk=state.pk).delete()[0])


def hot_states() -> list[HotState]:
    """What is hot now (for pages and counters)."""
    return list(HotState.objects.filter(Q(topic__isnull=False)).select_related("topic", "unit"))
