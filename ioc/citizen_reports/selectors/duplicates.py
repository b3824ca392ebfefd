"""Duplicate candidates of a report (R3.3): nearby open reports of its category, and the same reporter's."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Q, QuerySet
from pyproj import Geod

from ioc.citizen_reports.choices import OPEN_STATUSES
from ioc.citizen_reports.models import Report, ReporterContact
from ioc.citizen_reports.selectors._base import UNIT_GEOMETRY

GEOD = Geod(ellps="WGS84")
DUPLICATES_MAX = 20


@dataclass(frozen=True)
class DuplicateCandidate:
    """R3.3: an open report that may be the same issue: nearby (distance in metres) and/or same reporter."""

    report: Report
    distance_m: float | None
    same_reporter: bool


def _nearby(report: Report, base: QuerySet[Report], radius_m: float) -> dict[int, tuple[float, dt.datetime]]:
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
        ).values_list("pk", "lat", "lon", "received_at")
    )
    if not rows:
        return {}
    lats = np.array([r[1] for r in rows], dtype=float)
    lons = np.array([r[2] for r in rows], dtype=float)
    _f, _b, dist = GEOD.inv(np.full(len(rows), report.lon), np.full(len(rows), report.lat), lons, lats)
    return {
        row[0]: (float(d), row[3]) for row, d in zip(rows, np.atleast_1d(dist).tolist(), strict=True) if d <= radius_m
    }


def _same_reporter(report: Report, base: QuerySet[Report]) -> dict[int, dt.datetime]:
    contact = ReporterContact.objects.filter(report_id=report.pk, erased_at__isnull=True).first()
    if contact is None:
        return {}
    condition = Q(pk__in=[])
    if contact.phone_index:
        condition |= Q(contact__phone_index=contact.phone_index)
    if contact.email_index:
        condition |= Q(contact__email_index=contact.email_index)
    return dict(base.filter(condition).values_list("pk", "received_at"))


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
    # Ranked on plain (id, distance, received) tuples, and only the best DUPLICATES_MAX rows read whole: a busy
    # reporter or a dense street has thousands of candidates (issue 16: 4,800 rows built per report page).
    received = {**same, **{pk: at for pk, (_distance, at) in near.items()}}
    distance = {pk: d for pk, (d, _at) in near.items()}
    ranked = sorted(received, key=lambda pk: (pk not in distance, distance.get(pk, 0.0), -received[pk].timestamp()))[
        :DUPLICATES_MAX
    ]
    found = Report.objects.select_related("category", "unit", "agency").defer(UNIT_GEOMETRY).in_bulk(ranked)
    return [DuplicateCandidate(found[pk], distance.get(pk), pk in same) for pk in ranked if pk in found]
