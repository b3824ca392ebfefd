"""DESIGN "Map hooks" of incidents: counts in an area, points in a box (R7.1 scope) and the IOC's work items for
the operator's single queue (`ioc.web.selectors` finds `incidents_work_items`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ioc.accounts.choices import IOC_STAFF_ROLES, Role
from ioc.accounts.selectors import user_scope
from ioc.common.choices import is_severe
from ioc.common.rawread import Reader, placeholders
from ioc.common.roles import actor_has_role
from ioc.common.workitems import WorkFilter
from ioc.common.workitems import WorkItem as WorkItem
from ioc.geo.selectors import Area, BBox, point_counts_in_area
from ioc.incidents.choices import INCIDENT_OPEN_STATES, KINDS, AlertState, IncidentState
from ioc.incidents.models import Alert, Incident, IncidentEvent
from ioc.incidents.selectors._base import scoped_incidents

FEATURES_MAX = 5000
WORK_ITEMS_PER_KIND = 50
S = IncidentState


def _mapped(user: Any) -> QuerySet[Incident]:
    return scoped_incidents(user).filter(lat__isnull=False, lon__isnull=False)


def incidents_counts_in_area(
    *, user: Any, area: Area, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> dict[str, Any]:
    """DESIGN "Map hooks": incidents with a point in `area` that `user` may see: total, open, by state. A GROUP
    BY over grid cells; exact point tests only for the rows of cells the border crosses. `start`/`end`
    (half-open) keep the incidents raised in a period (a report's area scope, R8.1, issue 17)."""
    qs = _mapped(user)
    if start is not None:
        qs = qs.filter(raised_at__gte=start)
    if end is not None:
        qs = qs.filter(raised_at__lt=end)
    counts = point_counts_in_area(qs, area, key="state")
    return {
        "total": sum(counts.values()),
        "open": sum(n for state, n in counts.items() if state in INCIDENT_OPEN_STATES),
        "by_state": counts,
    }


def _bbox(value: Any) -> BBox:
    if isinstance(value, BBox):
        return value
    min_lat, min_lon, max_lat, max_lon = (float(v) for v in value)
    return BBox(min_lat, min_lon, max_lat, max_lon)


def incidents_features(*, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """DESIGN "Map hooks": the points of incidents `user` may see in `bbox` (min_lat, min_lon, max_lat, max_lon),
    newest first, at most `limit` (≤ 5000). Below zoom 12 only open incidents are drawn."""
    box = _bbox(bbox)
    qs = _mapped(user).filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    if zoom is not None and zoom < 12:
        qs = qs.filter(state__in=INCIDENT_OPEN_STATES)
    rows = qs.order_by("-raised_at", "-pk").values_list(
        "pk", "lat", "lon", "state", "kind", "severity", "process", "title", "raised_at"
    )[: max(0, min(int(limit), FEATURES_MAX))]
    return [
        {
            "id": pk,
            "lat": lat,
            "lon": lon,
            "state": state,
            "state_label": str(IncidentState(state).label),
            "kind": kind,
            "kind_name": str(KINDS[kind].label) if kind in KINDS else kind,
            "severity": severity,
            "process": process,
            "title": title,
            "reference": f"SC-{pk:06d}",
            "raised_at": raised.isoformat(),
            "open": state in INCIDENT_OPEN_STATES,
        }
        for pk, lat, lon, state, kind, severity, process, title, raised in rows
    ]


def incidents_map_version() -> str:
    """DESIGN "Map hooks", issue 20: changes whenever an incident's point may have changed (a new incident, or any
    step, which writes an IncidentEvent) — MAX(id) of both tables, one index step each. The wall screen reloads
    this layer only when it moves. Global, never scoped: it says that something changed, not what."""
    newest = Incident.objects.aggregate(n=Max("pk"))["n"]
    event = IncidentEvent.objects.aggregate(n=Max("pk"))["n"]
    return f"{newest or 0}:{event or 0}"


# (kind, states, label, roles): incidents waiting for the IOC.
_WORK_KINDS = (
    ("approve", [S.AWAITING_APPROVAL], gettext_lazy("Duyệt sự cố / Approve incident"), frozenset({Role.IOC_LEADER})),
    ("forward", [S.VERIFIED], gettext_lazy("Chuyển xử lý sự cố / Forward incident"), IOC_STAFF_ROLES),
    ("dispatch", [S.NEW], gettext_lazy("Điều động lực lượng / Dispatch forces"), IOC_STAFF_ROLES),
    ("confirm", [S.RESOLVED], gettext_lazy("Xác nhận kết quả sự cố / Confirm result"), IOC_STAFF_ROLES),
    ("close", [S.CONFIRMED, S.CLEARED], gettext_lazy("Đóng sự cố / Close incident"), IOC_STAFF_ROLES),
)


# The queue's reads in plain SQL built once per process (issue 20 "Speed": Django compiled this hook's five
# statements on every queue request). Used when the user sees everything (the IOC's territory roles, whom this hook
# serves); any narrower scope goes through the ORM's scoped querysets below.
_ALERT_FIELDS = ["id", "title", "first_seen_at", "severity", "acknowledged_at", "unit_id"]
_ALERT_ROWS = Reader(Alert, _ALERT_FIELDS, follow="unit", follow_fields=["name"])
_INCIDENT_ROWS = Reader(
    Incident, ["id", "title", "raised_at", "severity", "state", "unit_id"], follow="unit", follow_fields=["name"]
)


def incidents_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """DESIGN "Map hooks": for the IOC: alerts to verify (most severe first) and incidents to approve, forward,
    dispatch, confirm or close (oldest first). Agencies see their parts in the assignments inbox instead.
    `where`: the queue's filters before each LIMIT (the items carry no agency: an agency filter matches none)."""
    narrow = (where or WorkFilter()).q(agency=None, commune="unit_id")
    if not actor_has_role(user, IOC_STAFF_ROLES) or narrow is None:
        return []
    everything = user_scope(user=user).everything
    commune_id = where.commune_id if where else None
    items = _alert_items(user, narrow, everything=everything, commune_id=commune_id)
    for kind, states, label, roles in _WORK_KINDS:
        if not actor_has_role(user, roles):
            continue
        if everything:
            matching = "t.state IN " + placeholders(len(states))
            rows = _plain_rows(_INCIDENT_ROWS, matching, list(states), commune_id, "t.raised_at, t.id")
        else:
            queryset = scoped_incidents(user).filter(narrow, state__in=states).order_by("raised_at", "pk")
            fields = ("pk", "title", "raised_at", "severity", "state", "unit_id", "unit__name")
            rows = list(queryset.values_list(*fields)[:WORK_ITEMS_PER_KIND])
        for pk, title, at, severity, state, unit_id, unit_name in rows:
            reference = f"SC-{pk:06d}"
            url = reverse("incidents:incident_detail", args=[pk])
            items.append(
                WorkItem(
                    source="incidents",
                    kind=kind,
                    title=f"{label} {reference}: {title}",
                    url=url,
                    at=at,
                    status=state,
                    severity=severity,
                    code=reference,
                    object_id=pk,
                    commune_id=unit_id,
                    commune=unit_name or "",
                )
            )
    return items


def _plain_rows(
    reader: Reader[Any], where: str, params: list[Any], commune_id: int | None, order: str
) -> list[tuple[Any, ...]]:
    """At most WORK_ITEMS_PER_KIND rows of `reader` matching `where` (and the queue's commune), in `order`."""
    if commune_id is not None:
        where, params = f"{where} AND t.unit_id = %s", [*params, commune_id]
    return reader.rows(where, params, suffix=f"ORDER BY {order} LIMIT {WORK_ITEMS_PER_KIND}")


def _alert_items(user: Any, narrow: Q, *, everything: bool, commune_id: int | None) -> list[WorkItem]:
    """New alerts to verify, most severe first; a severe one nobody acknowledged is `loud` (R4.2). Only the
    territory roles (`everything`) see alerts (`scoped_alerts`)."""
    if not everything:
        return []
    verify = gettext_lazy("Xác minh cảnh báo / Verify alert")
    index = reverse("incidents:index")
    order = "t.severity DESC, t.first_seen_at, t.id"
    rows = _plain_rows(_ALERT_ROWS, "t.state = %s", [AlertState.NEW.value], commune_id, order)
    return [
        WorkItem(
            source="incidents",
            kind="verify",
            title=f"{verify}: {title}",
            url=f"{index}#alert-{pk}",
            at=at,
            status=AlertState.NEW.value,
            severity=severity,
            code=f"CB-{pk:06d}",
            object_id=pk,
            commune_id=unit_id,
            commune=unit_name or "",
            loud=is_severe(severity) and acknowledged is None,
        )
        for pk, title, at, severity, acknowledged, unit_id, unit_name in rows
    ]
