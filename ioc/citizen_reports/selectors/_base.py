"""What the read modules of `citizen_reports.selectors` share (R3.3, R3.4, R7.1): the user's scope, the common
filters, the status shorthand and the column every report read defers. Not imported outside the package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from ioc.accounts.selectors import user_scope
from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Category, Report
from ioc.citizen_reports.text_index import text_filter
from ioc.common.text import fold
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import BBox, GeoInputError, parse_ref

S = ReportStatus
# A commune's row carries its boundary polygon; no report read needs it.
UNIT_GEOMETRY = "unit__geometry"


# --- scope -------------------------------------------------------------------------------------------------


def scoped_reports(user: Any) -> QuerySet[Report]:
    """R7.1: IOC roles see every report, agency people their agency's (and its children's), others none."""
    scope = user_scope(user=user)
    qs = Report.objects.all()
    if scope.everything:
        return qs
    if not scope.agency_ids:
        return qs.none()
    return qs.filter(agency_id__in=scope.agency_ids)


def _local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def _moment(value: Any, *, end: bool) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return _local_start(value + dt.timedelta(days=1) if end else value)
    return None


def _values(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int | Category | AdminUnit) or not isinstance(value, Iterable):
        return [value]
    return [v for v in value if v not in (None, "")]


def _unit_q(value: Any) -> Q:
    units = []
    for item in _values(value):
        if isinstance(item, AdminUnit):
            units.append(item)
        else:
            try:
                hierarchy, code = parse_ref(str(item))
            except GeoInputError as exc:
                raise ValidationError({"unit": [exc.message]}) from exc
            units.extend(AdminUnit.objects.filter(hierarchy=hierarchy, code=code).only("path"))
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + "/")
    return condition


def _category_q(value: Any) -> Q:
    ids = [v.pk for v in _values(value) if isinstance(v, Category)]
    codes = [str(v) for v in _values(value) if not isinstance(v, Category)]
    return Q(category_id__in=ids) | Q(category__code__in=codes)


def apply_filters(qs: QuerySet[Report], filters: Mapping[str, Any] | None) -> QuerySet[Report]:
    """Common filters: status, category, unit (with its subtree), agency, channel, start/end, q, needs_location,
    overdue, ids, tracking_codes, bbox (min_lat, min_lon, max_lat, max_lon)."""
    f = dict(filters or {})
    if _values(f.get("status")):
        qs = qs.filter(status__in=[str(s) for s in _values(f["status"])])
    if _values(f.get("category")):
        qs = qs.filter(_category_q(f["category"]))
    if _values(f.get("unit")):
        qs = qs.filter(_unit_q(f["unit"]))
    if _values(f.get("agency")):
        qs = qs.filter(agency_id__in=[getattr(a, "pk", a) for a in _values(f["agency"])])
    if _values(f.get("channel")):
        qs = qs.filter(channel__in=[str(c) for c in _values(f["channel"])])
    start = _moment(f.get("start") or f.get("since"), end=False)
    end = _moment(f.get("end") or f.get("until"), end=True)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lt=end)
    if f.get("needs_location") is not None and f.get("needs_location") != "":
        qs = qs.filter(needs_location=bool(f["needs_location"]))
    if f.get("overdue"):
        qs = qs.filter(status__in=[S.FORWARDED, S.IN_PROGRESS], deadline_at__lt=timezone.now())
    if f.get("ids") is not None:
        qs = qs.filter(pk__in=[int(i) for i in _values(f["ids"]) if str(i).isdigit()])
    if f.get("tracking_codes") is not None:
        qs = qs.filter(tracking_code__in=[normalize_code(str(c)) for c in _values(f["tracking_codes"])])
    if f.get("bbox"):
        box = BBox(*(float(v) for v in f["bbox"]))
        qs = qs.filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    q = str(f.get("q") or "").strip()
    if q:
        # The folded key: "ho guom" finds "Hồ Gươm" (DESIGN "Conventions"), through its index (text_index.py).
        qs = qs.filter(text_filter(fold(q), code=normalize_code(q), using=qs.db))
    return qs


def normalize_code(code: str) -> str:
    """A tracking code as typed by a citizen: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:16]
