"""Every read of citizen reports (R3.1–R3.5, R7.1, R7.5), with the user's scope applied.

IOC roles see every report; agency officers and heads see the reports their agency (or a child) holds;
everyone else sees none. Public reads (`public_*`, `report_by_tracking_code`) return public fields only and
never a report marked spam in lists; free text shown to the public goes through `privacy.mask_contacts`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyproj import Geod

from ioc.accounts.choices import IOC_STAFF_ROLES
from ioc.accounts.selectors import user_scope
from ioc.audit.services import audit_personal_data_read
from ioc.citizen_reports import permissions, public_rows
from ioc.citizen_reports.choices import (
    HIDDEN_STATUSES,
    LOCATABLE_STATUSES,
    OPEN_STATUSES,
    IntakeStatus,
    ReportStatus,
)
from ioc.citizen_reports.models import (
    Category,
    IntakeItem,
    Report,
    ReporterContact,
    ReportEvent,
    ReportPhoto,
    RoutingRule,
)
from ioc.citizen_reports.privacy import DecryptionError, decrypt, mask_contacts, token_matches
from ioc.common.refcache import RefCache
from ioc.common.text import fold
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import Area, BBox, GeoInputError, grid_cell_bbox, parse_ref

S = ReportStatus
GEOD = Geod(ellps="WGS84")
FEATURES_MAX = 5000
WORK_ITEMS_PER_KIND = 50
DUPLICATES_MAX = 20
PUBLIC_DEFER = ("private_token_digest", "created_by", "verified_by", "approved_by", "source_system")
# Every tab of the operators' queue holds reports in one of these.
QUEUE_STATUSES = frozenset({S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED, S.RESOLVED})
# A commune's row carries its boundary polygon; no report read needs it.
UNIT_GEOMETRY = "unit__geometry"


# --- scope -------------------------------------------------------------------------------------------------


def _scoped(user: Any) -> QuerySet[Report]:
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


def _apply_filters(qs: QuerySet[Report], filters: Mapping[str, Any] | None) -> QuerySet[Report]:
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
        # The folded key: "ho guom" finds "Hồ Gươm" (DESIGN "Conventions").
        qs = qs.filter(Q(tracking_code=normalize_code(q)) | Q(search_text__contains=fold(q)))
    return qs


# --- staff reads -------------------------------------------------------------------------------------------


def report_list_for(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Report]:
    """R3.3, R7.1: the reports `user` may see, filtered (see `_apply_filters`), newest first."""
    qs = _apply_filters(_scoped(user), filters)
    return qs.select_related("category", "unit", "agency").defer(UNIT_GEOMETRY).order_by("-received_at", "-pk")


def report_get_for(*, user: Any, pk: Any) -> Report:
    """R7.1: one report in `user`'s scope; Http404 otherwise (the same answer as for a missing one)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        key = 0
    report = (
        _scoped(user)
        .select_related("category", "unit", "agency", "assignment", "duplicate_of", "verified_by", "approved_by")
        .defer(UNIT_GEOMETRY)
        .filter(pk=key)
        .first()
    )
    if report is None:
        raise Http404(_("Không tìm thấy phản ánh / Report not found"))
    return report


def report_events(*, report: Report) -> QuerySet[ReportEvent]:
    """The whole timeline (staff pages; the caller already holds the report through `report_get_for`)."""
    return ReportEvent.objects.filter(report=report).select_related("actor").order_by("at", "pk")


def report_photos(*, report: Report) -> QuerySet[ReportPhoto]:
    """Every photo of a report (staff pages; served by scoped views only)."""
    return ReportPhoto.objects.filter(report=report).order_by("kind", "uploaded_at", "pk")


def report_photo_get_for(*, user: Any, pk: Any) -> ReportPhoto:
    """A photo of a report in `user`'s scope; Http404 otherwise."""
    photo = ReportPhoto.objects.filter(pk=int(pk) if str(pk).isdigit() else 0).first()
    if photo is None or not _scoped(user).filter(pk=photo.report_id).exists():
        raise Http404(_("Không tìm thấy ảnh / Photo not found"))
    return photo


def report_duplicates(*, report: Report) -> QuerySet[Report]:
    """Reports marked as duplicates of `report` (their reporters follow it)."""
    return Report.objects.filter(duplicate_of=report).select_related("category").order_by("received_at")


@dataclass(frozen=True)
class ContactView:
    """R7.5: the reporter's contact as one authorised person reads it (the read is audited)."""

    name: str
    phone: str
    email: str
    consent_processing: bool
    consent_share_with_agency: bool


def _may_read_contact(user: Any, report: Report, contact: ReporterContact) -> bool:
    if permissions.is_ioc_staff(user):
        return True
    if not permissions.is_agency_person(user) or not contact.consent_share_with_agency or report.agency_id is None:
        return False
    return report.agency_id in user_scope(user=user).agency_ids


def report_contact_for(*, user: Any, report: Report, purpose: str = "") -> ContactView | None:
    """R7.5: the contact for IOC operators and leaders, and for the holding agency's officers when the reporter
    consented to sharing; None otherwise (or when there is none, or it was erased). Every view is audited."""
    contact = ReporterContact.objects.filter(report_id=report.pk, erased_at__isnull=True).first()
    if contact is None or not _may_read_contact(user, report, contact):
        return None
    try:
        view = ContactView(
            name=decrypt(contact.name_encrypted),
            phone=decrypt(contact.phone_encrypted),
            email=decrypt(contact.email_encrypted),
            consent_processing=contact.consent_processing,
            consent_share_with_agency=contact.consent_share_with_agency,
        )
    except DecryptionError:
        return None
    fields = [f"reporter_{name}" for name in ("name", "phone", "email") if getattr(view, name)]
    if not fields:
        return None
    audit_personal_data_read(
        actor=user, obj=report, fields=fields, purpose=purpose or _("Xử lý phản ánh / Handling the report")
    )
    return view


# --- duplicates ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    """R3.3: an open report that may be the same issue: nearby (distance in metres) and/or same reporter."""

    report: Report
    distance_m: float | None
    same_reporter: bool


def _nearby(report: Report, base: QuerySet[Report], radius_m: float) -> dict[int, float]:
    if report.lat is None or report.lon is None:
        return {}
    dlat = radius_m / 110_000.0
    dlon = radius_m / (110_000.0 * max(math.cos(math.radians(report.lat)), 0.01))
    rows = list(
        base.filter(
            lat__gte=report.lat - dlat,
            lat__lte=report.lat + dlat,
            lon__gte=report.lon - dlon,
            lon__lte=report.lon + dlon,
        ).values_list("pk", "lat", "lon")
    )
    if not rows:
        return {}
    lats = np.array([r[1] for r in rows], dtype=float)
    lons = np.array([r[2] for r in rows], dtype=float)
    _f, _b, dist = GEOD.inv(np.full(len(rows), report.lon), np.full(len(rows), report.lat), lons, lats)
    return {row[0]: float(d) for row, d in zip(rows, np.atleast_1d(dist).tolist(), strict=True) if d <= radius_m}


def _same_reporter(report: Report, base: QuerySet[Report]) -> set[int]:
    contact = ReporterContact.objects.filter(report_id=report.pk, erased_at__isnull=True).first()
    if contact is None:
        return set()
    condition = Q(pk__in=[])
    if contact.phone_index:
        condition |= Q(contact__phone_index=contact.phone_index)
    if contact.email_index:
        condition |= Q(contact__email_index=contact.email_index)
    return set(base.filter(condition).values_list("pk", flat=True))


def report_duplicate_candidates(*, report: Report) -> list[DuplicateCandidate]:
    """R3.3: open reports of the same category within the category's radius and days, and open reports of the
    same category left by the same phone or e-mail (blind index); nearest first."""
    category = report.category
    window = dt.timedelta(days=category.duplicate_days)
    base = (
        Report.objects.filter(
            category_id=category.pk,
            status__in=OPEN_STATUSES,
            duplicate_of__isnull=True,
            received_at__gte=report.received_at - window,
            received_at__lte=report.received_at + window,
        )
        .exclude(pk=report.pk)
        .order_by()
    )
    near = _nearby(report, base, float(category.duplicate_radius_m))
    same = _same_reporter(report, base)
    found = (
        Report.objects.select_related("category", "unit", "agency").defer(UNIT_GEOMETRY).in_bulk(list(set(near) | same))
    )
    candidates = [DuplicateCandidate(found[pk], near.get(pk), pk in same) for pk in found]
    candidates.sort(key=lambda c: (c.distance_m is None, c.distance_m or 0.0, -c.report.received_at.timestamp()))
    return candidates[:DUPLICATES_MAX]


# --- public reads ----------------------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    """A tracking code as typed by a citizen: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:16]


def report_by_tracking_code(*, code: str) -> Report | None:
    """R3.4: the report a tracking code names (spam included: its page says it is not shown), or None."""
    normalized = normalize_code(code)
    if not normalized:
        return None
    return (
        Report.objects.select_related("category", "unit", "agency", "duplicate_of")
        .defer(*PUBLIC_DEFER[1:], UNIT_GEOMETRY)
        .filter(tracking_code=normalized)
        .first()
    )


def report_private_token_valid(*, report: Report, token: str) -> bool:
    """R3.4: whether `token` is the private token of the reporter's link (rating and reopening)."""
    return token_matches(report, token)


def public_reports(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Report]:
    """R3.4: every report except spam, newest first; public fields only (mask free text before showing it)."""
    qs = _apply_filters(Report.objects.exclude(status__in=HIDDEN_STATUSES), filters)
    return (
        qs.select_related("category", "unit", "agency")
        .defer(*PUBLIC_DEFER, UNIT_GEOMETRY)
        .order_by("-received_at", "-pk")
    )


def public_report_page_ids(
    *,
    statuses: Iterable[str] = (),
    category_codes: Iterable[str] = (),
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[int]:
    """R3.4: the ids of one page of public reports (spam hidden), newest first; `end` is inclusive.

    Only indexed columns take part, so the database stops at the LIMIT: SQLite would otherwise build every
    matching row with its joins before sorting (docs/benchmarks.md, "Open311 GET on SQLite")."""
    return public_rows.page_ids(
        statuses=sorted(str(s) for s in statuses),
        category_codes=list(category_codes),
        start=start,
        end=end,
        offset=offset,
        limit=limit,
    )


def public_report_rows(
    *, ids: Iterable[int] = (), tracking_codes: Iterable[str] = (), offset: int = 0, limit: int | None = None
) -> list[dict[str, Any]]:
    """R3.4: public reports as plain rows, newest first, spam never: `public_rows.ROW_KEYS` — public fields,
    `updated_at` (the last public event) and `original` (a duplicate's original tracking code). Free text still
    needs `mask_contacts`. Rows in SQL, not model instances: docs/decisions/0001."""
    codes = [normalize_code(code) for code in tracking_codes]
    return public_rows.rows(ids=ids, tracking_codes=codes, offset=offset, limit=limit)


def public_first_photos(*, report_ids: Iterable[int]) -> dict[int, int]:
    """R3.4: report id → the id of its first photo an operator marked public (reports without one: absent);
    the order of `public_photo_queryset`."""
    return public_rows.first_public_photos([int(pk) for pk in report_ids])


def report_public_events(*, report: Report) -> QuerySet[ReportEvent]:
    """R3.4: the public timeline of a report (notes still need `mask_contacts`)."""
    return ReportEvent.objects.filter(report_id=report.pk, is_public=True).order_by("at", "pk")


def public_photo_queryset() -> QuerySet[ReportPhoto]:
    """Photos an operator marked public (for a Prefetch on published reports)."""
    return ReportPhoto.objects.filter(is_public=True).order_by("kind", "uploaded_at", "pk")


def report_public_photos(*, report: Report) -> QuerySet[ReportPhoto]:
    return public_photo_queryset().filter(report_id=report.pk)


def public_photo_get(*, pk: Any) -> ReportPhoto | None:
    """A photo marked public of a published report, or None."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    return public_photo_queryset().filter(pk=key, report__status=S.PUBLISHED).first()


def public_text(text: str) -> str:
    """R3.4, R7.5: free text as the public may see it (phones and e-mails masked)."""
    return mask_contacts(text or "")


# --- categories and routing ----------------------------------------------------------------------------------


def category_list(*, active_only: bool = True) -> QuerySet[Category]:
    """R3.2: categories (reference data, no scope), by name."""
    qs = Category.objects.select_related("default_agency").order_by("name")
    return qs.filter(is_active=True) if active_only else qs


# Categories by code, kept per process (every Open311 POST asks): `services.config` calls `changed()`.
CATEGORIES: RefCache[Category | None] = RefCache("citizen_reports.categories")


def category_get(*, code: str, active_only: bool = True) -> Category | None:
    """R3.2: one category by its code, as this process last loaded it (a change is seen within seconds:
    `ioc.common.refcache`). Read it, never change it: it is shared between threads."""
    code = str(code or "").strip()

    def load() -> Category | None:
        qs = Category.objects.filter(code=code)
        found = list((qs.filter(is_active=True) if active_only else qs)[:1])
        return found[0] if found else None

    return CATEGORIES.get((code, active_only), load)


def routing_rule_list(*, category: Category | None = None) -> QuerySet[RoutingRule]:
    qs = (
        RoutingRule.objects.select_related("category", "unit", "agency")
        .defer(UNIT_GEOMETRY)
        .order_by("category__name", "unit__code")
    )
    return qs.filter(category=category) if category is not None else qs


# --- map hooks (DESIGN "Map hooks") ---------------------------------------------------------------------------


def _mapped(user: Any) -> QuerySet[Report]:
    return _scoped(user).exclude(status__in=HIDDEN_STATUSES).filter(lat__isnull=False, lon__isnull=False)


def _cells_inside(area: Area, cells: list[str]) -> tuple[set[str], set[str]]:
    """(cells wholly inside the area, cells its border crosses)."""
    boxes = [grid_cell_bbox(cell) for cell in cells]
    geoms = shapely.box(
        [b.min_lon for b in boxes], [b.min_lat for b in boxes], [b.max_lon for b in boxes], [b.max_lat for b in boxes]
    )
    shapely.prepare(area.geometry)
    inside = shapely.contains_properly(area.geometry, geoms).tolist()
    touching = shapely.intersects(area.geometry, geoms).tolist()
    full = {c for c, i in zip(cells, inside, strict=True) if i}
    border = {c for c, i, t in zip(cells, inside, touching, strict=True) if t and not i}
    return full, border


def citizen_reports_counts_in_area(*, user: Any, area: Area) -> dict[str, Any]:
    """DESIGN "Map hooks": reports with a point in `area` that `user` may see (spam left out): total, open, and
    by status. A GROUP BY over grid cells; exact point tests only for the rows of cells the border crosses."""
    box = area.bbox
    qs = _mapped(user).filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    grouped = list(qs.order_by().values_list("grid_cell", "status").annotate(n=Count("pk")))
    by_status: dict[str, int] = defaultdict(int)
    full, border = _cells_inside(area, sorted({row[0] for row in grouped if row[0]}))
    for cell, status, n in grouped:
        if cell in full:
            by_status[status] += n
    if border:
        rows = list(qs.filter(grid_cell__in=border).values_list("status", "lat", "lon"))
        if rows:
            hit = shapely.intersects_xy(area.geometry, [r[2] for r in rows], [r[1] for r in rows]).tolist()
            for (status, _lat, _lon), inside in zip(rows, hit, strict=True):
                by_status[status] += int(inside)
    counts = {status: n for status, n in by_status.items() if n}
    return {
        "total": sum(counts.values()),
        "open": sum(n for status, n in counts.items() if status in OPEN_STATUSES),
        "by_status": counts,
    }


def _bbox(value: Any) -> BBox:
    if isinstance(value, BBox):
        return value
    min_lat, min_lon, max_lat, max_lon = (float(v) for v in value)
    return BBox(min_lat, min_lon, max_lat, max_lon)


def citizen_reports_features(
    *, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """DESIGN "Map hooks": the points of reports `user` may see in `bbox` (min_lat, min_lon, max_lat, max_lon),
    newest first, at most `limit` (≤ 5000). Below zoom 12 only open reports are drawn."""
    box = _bbox(bbox)
    qs = _mapped(user).filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    if zoom is not None and zoom < 12:
        qs = qs.filter(status__in=OPEN_STATUSES)
    now = timezone.now()
    rows = qs.order_by("-received_at", "-pk").values_list(
        "pk", "lat", "lon", "status", "category__code", "category__name", "tracking_code", "received_at", "deadline_at"
    )[: max(0, min(int(limit), FEATURES_MAX))]
    return [
        {
            "id": pk,
            "lat": lat,
            "lon": lon,
            "status": status,
            "status_label": str(ReportStatus(status).label),
            "category": code,
            "category_name": name,
            "tracking_code": tracking,
            "received_at": received.isoformat(),
            "overdue": bool(deadline and deadline < now and status in (S.FORWARDED, S.IN_PROGRESS)),
        }
        for pk, lat, lon, status, code, name, tracking, received, deadline in rows
    ]


@dataclass(frozen=True)
class WorkItem:
    """One thing an IOC operator or leader must do on a report (the operator's single work queue)."""

    kind: str
    title: str
    url: str
    at: dt.datetime
    report_id: int
    source: str = "citizen_reports"

    def __str__(self) -> str:
        return self.title


def staff_url(report_id: int) -> str:
    try:
        return reverse("citizen_reports:staff_report_detail", args=[report_id])
    except NoReverseMatch:
        return f"/phan-anh/quan-ly/{report_id}/"


_WORK_KINDS: tuple[tuple[str, Q, Any, frozenset[str]], ...] = (
    (
        "verify",
        Q(status=S.RECEIVED, needs_location=False),
        gettext_lazy("Xác minh phản ánh / Verify report"),
        IOC_STAFF_ROLES,
    ),
    (
        "locate",
        Q(needs_location=True, status__in=[S.RECEIVED, S.AWAITING_APPROVAL, S.VERIFIED]),
        gettext_lazy("Xác định vị trí phản ánh / Locate report"),
        IOC_STAFF_ROLES,
    ),
    (
        "approve",
        Q(status=S.AWAITING_APPROVAL),
        gettext_lazy("Duyệt phản ánh / Approve report"),
        permissions.APPROVER_ROLES,
    ),
    (
        "forward",
        Q(status=S.VERIFIED, needs_location=False),
        gettext_lazy("Chuyển phản ánh / Forward report"),
        IOC_STAFF_ROLES,
    ),
    (
        "publish",
        Q(status=S.RESOLVED),
        gettext_lazy("Kiểm tra, công khai kết quả / Check and publish the result"),
        IOC_STAFF_ROLES,
    ),
)


def citizen_reports_work_items(*, user: Any) -> list[WorkItem]:
    """DESIGN "Map hooks": reports waiting for the IOC: to verify, to locate, to approve (leaders), to forward
    (received back from an agency or approved), resolved results to publish; oldest first."""
    roles = permissions.roles_of(user)
    items: list[WorkItem] = []
    for kind, condition, label, allowed in _WORK_KINDS:
        if not roles & allowed:
            continue
        rows = Report.objects.filter(condition).order_by("received_at", "pk")
        for pk, code, received in rows.values_list("pk", "tracking_code", "received_at")[:WORK_ITEMS_PER_KIND]:
            items.append(WorkItem(kind, f"{label} {code}", staff_url(pk), received, pk))
    return items


def intake_items_new(*, user: Any) -> QuerySet[IntakeItem]:
    """R3.1: the mailbox's new items, oldest first, for IOC operators and leaders only; the sender stays
    encrypted and is not part of the listing."""
    if not permissions.is_ioc_staff(user):
        return IntakeItem.objects.none()
    return (
        IntakeItem.objects.filter(status=IntakeStatus.NEW)
        .annotate(n_attachments=Count("attachments"))
        .order_by("received_at", "pk")
    )


# --- the operators' queue (R3.3) ----------------------------------------------------------------------------


def queue_buckets(*, user: Any) -> dict[str, Q]:
    """R3.3: what each tab of the queue holds, "all" last; leaders also get the reports awaiting their approval."""
    buckets = {
        "received": Q(status=S.RECEIVED, needs_location=False),
        "needs_location": Q(status__in=list(LOCATABLE_STATUSES), needs_location=True),
        "awaiting_approval": Q(status=S.AWAITING_APPROVAL),
        "to_forward": Q(status=S.VERIFIED, needs_location=False),
        "resolved": Q(status=S.RESOLVED),
    }
    if not permissions.is_approver(user):
        buckets.pop("awaiting_approval")
    buckets["all"] = Q(pk__in=[])
    for name, condition in list(buckets.items()):
        if name != "all":
            buckets["all"] |= condition
    return buckets


def queue_counts(*, reports: QuerySet[Report], buckets: Mapping[str, Q]) -> dict[str, int]:
    """R3.3: how many of `reports` (scoped and filtered by `report_list_for`) each tab holds, in one query that
    reads the status index rather than the whole table."""
    waiting = reports.order_by().filter(status__in=list(QUEUE_STATUSES))
    counts = waiting.aggregate(**{f"n_{name}": Count("pk", filter=condition) for name, condition in buckets.items()})
    return {name: counts[f"n_{name}"] for name in buckets}


# --- configuration pages (issue 8: categories and routing rules) ----------------------------------------------


def category_by_pk(*, pk: int) -> Category | None:
    """R3.2: one category by id, retired ones included (the configuration pages edit both)."""
    return Category.objects.select_related("default_agency").filter(pk=pk).first()


def routing_rule_get(*, pk: int) -> RoutingRule | None:
    """R3.3: one routing rule by id (the configuration page removes it)."""
    return routing_rule_list().filter(pk=pk).first()
