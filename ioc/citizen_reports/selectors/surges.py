"""Surges of citizen reports (R4.1, issue 12): N reports of one category in one commune within T minutes. Read by
the periodic task that raises one `citizen_reports.surge` alert per surge (system reads, no user scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Report


@dataclass(frozen=True)
class Surge:
    """How many reports of a category arrived in a commune since `since`."""

    category_code: str
    category_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    count: int


def report_surges(*, since: dt.datetime, threshold: int) -> list[Surge]:
    """Communes and categories with at least `threshold` reports received since `since` (spam left out)."""
    rows = (
        Report.objects.filter(received_at__gte=since, unit__isnull=False)
        .exclude(status=ReportStatus.SPAM)
        .order_by()
        .values("category__code", "category__name", "unit_id", "unit__code", "unit__name")
        .annotate(n=Count("pk"))
        .filter(n__gte=max(1, threshold))
        .order_by("-n", "unit__code", "category__code")
    )
    return [
        Surge(r["category__code"], r["category__name"], r["unit_id"], r["unit__code"], r["unit__name"], r["n"])
        for r in rows
    ]
