"""R5.4, R7.4 (issue 20 part 2): the figures of the big-screen overview and the leaders' home, read from each
domain's own selectors in the user's scope, never from rows in bulk.

`overview_figures` answers plain data (numbers, strings, lists of dicts) so that `overview_version` can hash it
and the wall screen swaps its panels only when something it shows has changed. Citizen reports: today by status
(one GROUP BY over today's reports, on the `received_at` index), 7 and 30 days from the statistics cells
(`citizen_reports/statistics.py`); incidents open by process and severity; alerts waiting for verification;
overdue agency work; the data hub's on-time rate; indicator warnings; sensors' freshness; one tile per monitored
domain of the profile's act (a domain with its own monitor shows the monitor's figure, one without shows its
indicators' statuses, one with neither is left out).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ioc.assignments import selectors as assignment_selectors
from ioc.assignments.choices import DeadlineState
from ioc.citizen_reports import selectors as report_selectors
from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.statistics import citizen_reports_statistics
from ioc.common.choices import Severity
from ioc.cybersecurity import selectors as cyber_selectors
from ioc.datahub import selectors as datahub_selectors
from ioc.datahub.choices import DueState
from ioc.dossiers import selectors as dossier_selectors
from ioc.incidents import selectors as incident_selectors
from ioc.incidents.choices import Process
from ioc.indicators import selectors as indicator_selectors
from ioc.indicators.choices import Status
from ioc.media_watch import selectors as media_selectors
from ioc.sectors import selectors as sector_selectors

LIST_LIMIT = 8


def _local_today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def reports_figures(*, user: Any, now: dt.datetime) -> dict[str, Any]:
    """Citizen reports received today by status (live), and the 7- and 30-day figures from the statistics cells."""
    today = _local_today(now)
    # Every status named: SQLite then seeks `reports_status_received_idx (status, received_at)` once per status
    # instead of scanning the whole index (2.4 s cold, ~0.4 s warm at 1,000,000 reports; issue 20 "Speed").
    rows = (
        report_selectors.report_list_for(user=user)
        .filter(status__in=ReportStatus.values, received_at__gte=_day_start(today))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    by_status = [
        {"status": str(status.value), "label": str(status.label), "count": counts.get(status.value, 0)}
        for status in ReportStatus
        if counts.get(status.value)
    ]
    # One computation for both ranges: the 30 days by day (the cohort split by the day a report came in), the last
    # 7 of them summed for the week — the live "open past the deadline" count is the costly part (issue 20 "Speed").
    stats = citizen_reports_statistics(user=user, start=today - dt.timedelta(days=29), end=today, group_by="day")
    week = stats.rows[-7:]
    ranges = {
        "d7": {name: sum(getattr(row, name) for row in week) for name in ("received", "handled", "overdue")},
        "d30": {"received": stats.totals.received, "handled": stats.totals.handled, "overdue": stats.totals.overdue},
    }
    return {"today": sum(counts.values()), "by_status": by_status, **ranges}


def incidents_figures(*, user: Any) -> dict[str, Any]:
    """Open incidents by process and by severity, the most severe ones, and alerts waiting for verification."""
    open_incidents = incident_selectors.incident_list(user=user, state=incident_selectors.OPEN)
    tally = open_incidents.order_by().values("process", "severity").annotate(n=Count("pk"))
    by_process: dict[str, int] = {}
    by_severity: dict[int, int] = {}
    for row in tally:
        by_process[row["process"]] = by_process.get(row["process"], 0) + row["n"]
        by_severity[row["severity"]] = by_severity.get(row["severity"], 0) + row["n"]
    active = open_incidents.order_by("-severity", "-raised_at", "-pk")[:LIST_LIMIT]
    alerts = incident_selectors.alert_inbox(user=user)
    return {
        "open": sum(by_process.values()),
        "by_process": [
            {"process": str(p.value), "label": str(p.label), "count": by_process.get(p.value, 0)} for p in Process
        ],
        "by_severity": [
            {"severity": int(s.value), "label": str(s.label), "count": by_severity.get(s.value, 0)}
            for s in sorted(Severity, reverse=True)
        ],
        "active": [
            {
                "id": incident.pk,
                "title": incident.title,
                "severity": incident.severity,
                "severity_label": str(Severity(incident.severity).label),
                "state": str(incident.get_state_display()),
                "unit": incident.unit.name if incident.unit else "",
                "raised_at": timezone.localtime(incident.raised_at).strftime("%H:%M %d/%m"),
            }
            for incident in active
        ],
        "alerts": alerts.count(),
        "alerts_severe": alerts.filter(severity__gte=Severity.HIGH).count(),
        "newest_alert": alerts.order_by().aggregate(newest=Max("pk"))["newest"] or 0,
    }


def work_figures(*, user: Any, now: dt.datetime) -> dict[str, int]:
    """Agency work past its deadline and at risk (R3.3), one query."""
    counts = assignment_selectors.assignment_inbox_counts(user=user, now=now)
    return {"overdue": counts.get(DeadlineState.OVERDUE.value, 0), "at_risk": counts.get(DeadlineState.AT_RISK, 0)}


def compliance_figures(*, user: Any, now: dt.datetime) -> dict[str, Any]:
    """R1.3: the data hub's dues of the board's range, summed over agencies, and the on-time rate."""
    totals = {DueState.ON_TIME.value: 0, DueState.LATE.value: 0, DueState.MISSING.value: 0}
    for row in datahub_selectors.compliance_board(user=user, now=now):
        for state in totals:
            totals[state] += row.counts.get(state, 0)
    passed = sum(totals.values())
    rate = round(100 * totals[DueState.ON_TIME.value] / passed) if passed else None
    return {"on_time": totals["on_time"], "late": totals["late"], "missing": totals["missing"], "rate": rate}


def warnings_list(*, user: Any) -> list[dict[str, Any]]:
    """R2.3: the newest open indicator warnings, with their reason (kind, value against target)."""
    return [
        {
            "id": w.pk,
            "indicator": w.indicator.name,
            "code": w.indicator.code,
            "sector": w.indicator.sector,
            "unit": w.unit.name if w.unit else "",
            "period": w.period,
            "reason": str(w.get_kind_display()),
            "value": w.value,
            "target": w.target,
        }
        for w in indicator_selectors.warning_list(user=user, limit=LIST_LIMIT)
    ]


def sensors_figures(*, user: Any, now: dt.datetime) -> dict[str, int]:
    """R5.5: the visible datastreams by freshness: reporting within the hour, silent longer, never reported."""
    return sector_selectors.sensors_freshness(user=user, now=now)


def _status_counts(sectors: Iterable[str]) -> dict[str, int]:
    counts = {str(s.value): 0 for s in Status}
    for sector in sectors:
        for card in indicator_selectors.dashboard_cards(sector=sector):
            if card.period:
                counts[card.status] = counts.get(card.status, 0) + 1
    return counts


def _monitor_figure(monitor: str, figures: dict[str, Any]) -> dict[str, Any]:
    if monitor == "citizen_reports":
        return {"value": figures["reports"]["today"], "label": _("phản ánh hôm nay")}
    if monitor == "incidents":
        return {"value": figures["incidents"]["open"], "label": _("sự cố đang mở")}
    if monitor == "dossiers":
        return {"value": figures["dossiers"]["violations_open"], "label": _("vi phạm hồ sơ chờ xác minh")}
    return {"value": figures["sensors"]["fresh"], "label": _("cảm biến đang báo số liệu")}


def domain_tiles(*, figures: dict[str, Any], profile: str) -> list[dict[str, Any]]:
    """A tile per monitored domain of the act (`sectors.selectors.domain_list`): its monitors' figures, else its
    indicators by status; a domain with neither (no monitor, no indicator with a value) is left out."""
    tiles = []
    for domain in sector_selectors.domain_list(profile=profile):
        statuses = _status_counts(domain.sectors)
        if not domain.monitors and not any(statuses.values()):
            continue
        tiles.append(
            {
                "code": domain.code,
                "name": domain.name,
                "monitors": [_monitor_figure(m, figures) for m in domain.monitors],
                "statuses": [
                    {"status": s.value or "none", "label": str(s.label), "count": statuses.get(s.value, 0)}
                    for s in Status
                    if statuses.get(s.value)
                ],
            }
        )
    return tiles


def overview_figures(*, user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the overview shows for `user` (scoped by each selector), as plain data."""
    now = now or timezone.now()
    figures: dict[str, Any] = {
        "reports": reports_figures(user=user, now=now),
        "incidents": incidents_figures(user=user),
        "work": work_figures(user=user, now=now),
        "compliance": compliance_figures(user=user, now=now),
        "warnings": warnings_list(user=user),
        "sensors": sensors_figures(user=user, now=now),
        "cybersecurity": cyber_selectors.cybersecurity_overview(user=user, now=now),
        "dossiers": dossier_selectors.dossiers_overview(user=user, now=now),
        "media_watch": media_selectors.media_watch_overview(user=user),
    }
    figures["domains"] = domain_tiles(figures=figures, profile=settings.IOC_PROFILE)
    return figures


def version_of(figures: dict[str, Any]) -> str:
    encoded = json.dumps(figures, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]


# Issue 20 "Speed": how long after its freshness a screen's figures may still be shown while one request
# recomputes them (the others answer at once instead of all recomputing together), and how long that request's
# claim lasts if its worker dies mid-way.
STALE_SECONDS = 10
RECOMPUTE_CLAIM_SECONDS = 10


def cache_key(*, user: Any) -> str:
    return f"ioc:web:overview:v2:{getattr(user, 'pk', 0)}:{get_language() or ''}"


def overview_cached(*, user: Any) -> tuple[dict[str, Any], str]:
    """The figures and their version, fresh for `IOC_OVERVIEW_CACHE_SECONDS` (2 s) per user and language: every
    screen polling every two seconds costs one computation per period, and a change still shows within 5 s.

    Past that, the first request claims the recomputation (`cache.add`, atomic on every cache backend) and the
    requests that arrive meanwhile answer the previous figures (at most `STALE_SECONDS` older), instead of every
    open connection recomputing the same figures at once when they expire (what made the p95 of the cached
    endpoints several times one computation under wrk)."""
    seconds = int(getattr(settings, "IOC_OVERVIEW_CACHE_SECONDS", 2))
    if seconds <= 0:
        figures = overview_figures(user=user)
        return figures, version_of(figures)
    key = cache_key(user=user)
    found = cache.get(key)
    claim = f"{key}:recompute"
    claimed = False
    if isinstance(found, tuple) and len(found) == 3:
        figures, version, computed_at = found
        if time.time() - computed_at < seconds:
            return figures, version
        claimed = cache.add(claim, 1, RECOMPUTE_CLAIM_SECONDS)
        if not claimed:  # another request is recomputing them
            return figures, version
    try:
        figures = overview_figures(user=user)
        version = version_of(figures)
        cache.set(key, (figures, version, time.time()), seconds + STALE_SECONDS)
    finally:
        if claimed:
            cache.delete(claim)
    return figures, version


POLL_SECONDS_DEFAULT = 2.0
POLL_SECONDS_RANGE = (0.2, 60.0)


def poll_seconds(params: Any) -> str:
    """Issue 20 "Speed": how often the wall screen polls its version, `?poll=<seconds>` (0.2–60; default 2, or the
    setting `IOC_DISPLAY_POLL_SECONDS`): the JS heap check (bench/overview_heap.py) polls ten times faster. The
    value is written into the page as a plain number (never localised: "0,2" would not parse). A value that is
    not a number in range raises ValueError naming `poll` (the view answers 400)."""
    raw = params.get("poll")
    if raw in (None, ""):
        value = float(getattr(settings, "IOC_DISPLAY_POLL_SECONDS", POLL_SECONDS_DEFAULT))
    else:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        low, high = POLL_SECONDS_RANGE
        if not low <= value <= high:
            raise ValueError(_("poll: số giây giữa hai lần hỏi phải từ 0,2 đến 60."))
    return f"{value:g}"
