"""Public reads of citizen reports (R3.4, R7.5): public fields only, spam never in lists, free text masked by
the caller (`public_text`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet

from ioc.citizen_reports import public_rows
from ioc.citizen_reports.choices import HIDDEN_STATUSES
from ioc.citizen_reports.models import Report, ReportEvent, ReportPhoto
from ioc.citizen_reports.privacy import mask_contacts, token_matches
from ioc.citizen_reports.selectors._base import UNIT_GEOMETRY, S, apply_filters, normalize_code

PUBLIC_DEFER = ("private_token_digest", "created_by", "verified_by", "approved_by", "source_system")


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
    qs = apply_filters(Report.objects.exclude(status__in=HIDDEN_STATUSES), filters)
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
