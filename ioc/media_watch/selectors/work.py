"""The watch's entries in the operator's one queue (R5.7, R7.1; DESIGN "Map hooks"): each topic hot now (topic ×
area, from `HotState`) and each surge on a watch list the user was granted — titled by the list, never by the
person (the names stay behind the audited watch-list page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ioc.common.choices import Severity
from ioc.common.workitems import WorkFilter, WorkItem
from ioc.media_watch.models import HotState
from ioc.media_watch.selectors.maps import can_view

WORK_LIMIT = 50


def media_watch_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """R5.7: hot topics (commune filter on the area; no agency owns them) and granted watch lists' surges."""
    if not can_view(user):
        return []
    states = HotState.objects.select_related("topic", "unit", "entity__watch_list").filter(
        Q(topic__isnull=False) | Q(entity__watch_list__viewers=user, entity__watch_list__is_active=True)
    )
    if where:
        condition = where.q(agency=None, commune="unit_id")
        if condition is None:
            return []
        states = states.filter(condition)
    return [_item(state) for state in states.order_by("raised_at", "pk")[:WORK_LIMIT]]


def _item(state: HotState) -> WorkItem:
    if state.topic is not None:
        place = state.unit.full_name if state.unit else _("toàn địa bàn")
        title = _("Chủ đề đang nóng: %(topic)s (%(place)s)") % {"topic": state.topic.name, "place": place}
        url = reverse("media_watch:topic", kwargs={"pk": state.topic_id})
        kind = "hot_topic"
    else:
        assert state.entity is not None
        title = _("Tăng đột biến trên danh sách theo dõi: %(list)s") % {"list": state.entity.watch_list.name}
        url = reverse("media_watch:watchlists")
        kind = "watch_list"
    return WorkItem(
        source="media_watch",
        kind=kind,
        title=title,
        url=url,
        at=state.raised_at,
        severity=Severity.MEDIUM,
        object_id=state.pk,
        commune_id=state.unit_id,
        commune=state.unit.full_name if state.unit else "",
    )
