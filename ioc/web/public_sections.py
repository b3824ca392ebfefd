"""The public portal's sections (issue 8, R3.4): one card per domain that publishes something to anyone.

A domain that publishes (public warnings, open datasets, public sensor readings…) adds one builder to `SECTIONS`:
a function returning a `PublicSection` built from that app's public selectors only, or None when it has nothing
to show in this deployment. The registry lists only what exists: no "coming soon" card is shown to citizens.
Nothing here may carry personal data: a section reads public fields (codes, categories, communes, statuses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ioc.citizen_reports import selectors as report_selectors
from ioc.citizen_reports.choices import ReportStatus
from ioc.scenarios import selectors as warning_selectors

LATEST_REPORTS = 5
CACHE_SECONDS = 60
_CACHE_KEY = "ioc:web:public_sections:reports:v1"


@dataclass(frozen=True)
class PublicSection:
    """One card of the portal: its partial template (under `web/public_section_*.html`) and what it needs."""

    key: str
    title: Any
    icon: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label) if status in ReportStatus.values else status


def _published_summary() -> dict[str, Any]:
    """How many reports are published and the latest few as plain rows (no language in them), kept
    `CACHE_SECONDS` in the shared cache: the front door is the most visited page, and a count over every published
    report on each visit is not worth it. A report published a moment ago may take that long to appear here;
    the list and the map are exact."""
    summary = cache.get(_CACHE_KEY)
    if not isinstance(summary, dict):
        published = report_selectors.public_reports(filters={"status": ReportStatus.PUBLISHED})
        fields = ("tracking_code", "category__name", "unit__name", "status", "published_at")
        rows = list(published.values(*fields)[:LATEST_REPORTS])
        summary = {"count": published.count() if rows else 0, "rows": rows}
        cache.set(_CACHE_KEY, summary, CACHE_SECONDS)
    return summary


def reports_section() -> PublicSection:
    """R3.4: how many reports were handled with a published result, the latest few, the list and the map.

    Public fields only (tracking code, category, commune, status, date): no description, so no free text that
    would need masking, and never a reporter's name or contact."""
    summary = _published_summary()
    latest = [
        {
            "code": row["tracking_code"],
            "url": reverse("citizen_reports:public_track_detail", kwargs={"code": row["tracking_code"]}),
            "category": row["category__name"],
            "unit": row["unit__name"] or "",
            "status_label": _status_label(row["status"]),
            "published_at": row["published_at"],
        }
        for row in summary["rows"]
    ]
    return PublicSection(
        "reports",
        _("Phản ánh đã xử lý, công khai kết quả"),
        "message-report",
        "web/public_section_reports.html",
        {
            "count": summary["count"],
            "latest": latest,
            "list_url": reverse("citizen_reports:public_list"),
            "map_url": reverse("citizen_reports:public_map"),
        },
    )


LATEST_WARNINGS = 5


def warnings_section() -> PublicSection:
    """R5.2, R5.5: the public warnings in force (headline, severity, area, validity), the list and the CAP feed."""
    live = list(warning_selectors.warnings_live()[:LATEST_WARNINGS])
    return PublicSection(
        "warnings",
        _("Cảnh báo cho người dân"),
        "alert-triangle",
        "web/public_section_warnings.html",
        {
            "warnings": live,
            "list_url": reverse("public_warnings:list"),
            "feed_url": reverse("public_warnings:atom"),
        },
    )


SectionBuilder = Callable[[], PublicSection | None]
# In the order the portal shows them. A later domain appends its builder here.
SECTIONS: tuple[SectionBuilder, ...] = (warnings_section, reports_section)


def public_sections(builders: tuple[SectionBuilder, ...] = SECTIONS) -> list[PublicSection]:
    """The sections that have something to show, in registry order."""
    return [section for section in (build() for build in builders) if section is not None]
