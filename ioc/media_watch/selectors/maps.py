"""The watch on the map and in the overview (R5.7, R6.1; DESIGN "Map hooks", "Domain overview"): places mentioned
in the last 24 hours (each named unit at its centre, with its item count), counts in a selected area, and the
overview figures. Only the IOC's staff and leaders see the watch (online information is not a public layer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django.db.models import Avg, Count, Q
from django.utils import timezone

from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_has_role
from ioc.geo.selectors import Area, BBox
from ioc.media_watch.models import Handling, HotState, Item

VIEW_ROLES = IOC_STAFF_ROLES | {Role.PROVINCE_LEADER}
TILE_ROLES = VIEW_ROLES | {Role.DISPLAY_SCREEN}
RECENT = dt.timedelta(hours=24)
FEATURES_MAX = 5000


def can_view(user: Any) -> bool:
    """R5.7: the IOC's operators and leaders, and the province's leaders."""
    return actor_has_role(user, VIEW_ROLES)


def _mentions(since: dt.datetime) -> Any:
    return Item.places.through.objects.filter(item__published_at__gte=since)


def _bbox(value: Any) -> BBox:
    if isinstance(value, BBox):
        return value
    min_lat, min_lon, max_lat, max_lon = (float(v) for v in value)
    return BBox(min_lat, min_lon, max_lat, max_lon)


def media_watch_features(*, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """R6.1: "places mentioned" — each unit named by items of the last 24 hours, at its centre, with the count."""
    if not can_view(user):
        return []
    box = _bbox(bbox)
    rows = (
        _mentions(timezone.now() - RECENT)
        .filter(
            adminunit__lat__gte=box.min_lat,
            adminunit__lat__lte=box.max_lat,
            adminunit__lon__gte=box.min_lon,
            adminunit__lon__lte=box.max_lon,
        )
        .values("adminunit_id", "adminunit__full_name", "adminunit__hierarchy", "adminunit__lat", "adminunit__lon")
        .annotate(n=Count("item_id"))
        .order_by("-n", "adminunit_id")[: max(0, min(int(limit), FEATURES_MAX))]
    )
    return [
        {
            "id": row["adminunit_id"],
            "lat": row["adminunit__lat"],
            "lon": row["adminunit__lon"],
            "title": row["adminunit__full_name"],
            "legacy": row["adminunit__hierarchy"] != "2025",
            "count": row["n"],
        }
        for row in rows
    ]


def media_watch_counts_in_area(*, user: Any, area: Area) -> dict[str, Any]:
    """R6.2: places in `area` named by items of the last 24 hours (the members of the layer: `total`) and the
    items naming them (`items`); a place is in the area when its centre is."""
    if not can_view(user):
        return {"total": 0, "items": 0}
    box = area.bbox
    mentions = _mentions(timezone.now() - RECENT).filter(
        adminunit__lat__gte=box.min_lat,
        adminunit__lat__lte=box.max_lat,
        adminunit__lon__gte=box.min_lon,
        adminunit__lon__lte=box.max_lon,
    )
    # Issue 20: the day's mentions in the box first (a few), then their places' centres tested; not every unit
    # of the box (thousands of legacy villages in a province's) read to find the few that were named.
    rows = list(mentions.values_list("adminunit_id", "item_id", "adminunit__lat", "adminunit__lon").distinct())
    if not rows:
        return {"total": 0, "items": 0}
    shapely.prepare(area.geometry)
    hit = shapely.intersects_xy(area.geometry, [r[3] for r in rows], [r[2] for r in rows]).tolist()
    inside = [row for row, is_in in zip(rows, hit, strict=True) if is_in]
    return {"total": len({row[0] for row in inside}), "items": len({row[1] for row in inside})}


def media_watch_overview(*, user: Any, period: Any = None) -> dict[str, Any]:
    """R5.7, R8.1: the tile's and the report's figures — items in 24 hours, hot topics now, the negative share,
    items handed on and answers received. Counts only: the operations room's display screen sees them too."""
    if not actor_has_role(user, TILE_ROLES):
        return {}
    since = timezone.now() - RECENT
    recent = Item.objects.filter(published_at__gte=since)
    figures = recent.aggregate(
        total=Count("pk"), negative=Count("pk", filter=Q(sentiment__lt=-0.15)), mood=Avg("sentiment")
    )
    handled = Handling.objects.filter(created_at__gte=since).aggregate(
        forwarded=Count("pk", filter=Q(kind=Handling.KIND_FORWARD)),
        reports=Count("pk", filter=Q(kind=Handling.KIND_REPORT)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    return {
        "items_24h": figures["total"],
        "negative_24h": figures["negative"],
        "mood_24h": round(figures["mood"] or 0.0, 3),
        "hot_topics": HotState.objects.filter(topic__isnull=False).count(),
        **handled,
    }
