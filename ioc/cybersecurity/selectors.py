"""R5.6: every read of the information-security watch, scoped by `user_scope`/`scope_filter` (an agency sees its
own assets and events; the IOC and the province's leaders see all), the operator's work items (sites down,
certificates expiring within 14 days) and the overview figures for the ops room and the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.agencies.models import Agency
from ioc.common.choices import Severity
from ioc.common.roles import actor_has_role
from ioc.common.workitems import AT_RISK, OVERDUE, WorkFilter, WorkItem
from ioc.cybersecurity.choices import OPEN_EXPOSURES, SCREENSHOT_ROLES, AssetStatus, ExposureStatus
from ioc.cybersecurity.malware_trend import malware_in_period as malware_in_period  # re-exported: every read here
from ioc.cybersecurity.malware_trend import malware_trend as malware_trend
from ioc.cybersecurity.models import (
    Asset,
    CheckResult,
    EventDay,
    EventRule,
    EventSource,
    Exposure,
    Rejection,
    SecurityEvent,
    Vulnerability,
)
from ioc.incidents import selectors as incident_selectors

WORK_LIMIT = 50
CERT_WORK_DAYS = 14
EVENT_PAGE = 100


def _assets(user: Any) -> QuerySet[Asset]:
    return scope_filter(Asset.objects.all(), scope=user_scope(user=user), agency_field="agency_id")


def asset_list(*, user: Any, include_retired: bool = False) -> QuerySet[Asset]:
    """R5.6: the assets the user may see, with their agency."""
    qs = _assets(user).select_related("agency")
    return qs if include_retired else qs.filter(is_active=True)


def asset_get(*, user: Any, pk: int) -> Asset | None:
    return asset_list(user=user, include_retired=True).filter(pk=pk).first()


def result_screenshot(*, user: Any, asset_pk: int, pk: int) -> CheckResult | None:
    """R5.6: a check result's screenshot, for the watch's operators (SCREENSHOT_ROLES) who may see the asset."""
    if not actor_has_role(user, SCREENSHOT_ROLES) or asset_get(user=user, pk=asset_pk) is None:
        return None
    return CheckResult.objects.filter(asset_id=asset_pk, pk=pk).exclude(screenshot="").first()


def asset_results(*, asset: Asset, limit: int = 50) -> list[CheckResult]:
    return list(CheckResult.objects.filter(asset=asset).order_by("-checked_at")[:limit])


def uptime_by_asset(*, asset_ids: list[int], since: dt.datetime) -> dict[int, float | None]:
    """R5.6: the share of checks since `since` that reached the asset (None: no check), per asset, one query."""
    rows = (
        CheckResult.objects.filter(asset_id__in=asset_ids, checked_at__gte=since)
        .values("asset_id")
        .annotate(total=Count("id"), up=Count("id", filter=Q(ok=True)))
    )
    found = {row["asset_id"]: 100.0 * row["up"] / row["total"] for row in rows if row["total"]}
    return {pk: found.get(pk) for pk in asset_ids}


def expiring_certificates(*, user: Any, days: int = 30, now: dt.datetime | None = None) -> QuerySet[Asset]:
    """R5.6: assets whose certificate expires within `days` (or has expired), soonest first."""
    now = now or timezone.now()
    return (
        asset_list(user=user)
        .filter(cert_expires_at__isnull=False, cert_expires_at__lte=now + dt.timedelta(days=days))
        .order_by("cert_expires_at")
    )


@dataclass(frozen=True)
class EventQuery:
    """The event explorer's filters."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    agency_id: int | None = None
    rule: str = ""
    host: str = ""
    min_severity: int | None = None


def _events(user: Any) -> QuerySet[SecurityEvent]:
    return scope_filter(SecurityEvent.objects.all(), scope=user_scope(user=user), agency_field="agency_id")


def event_list(*, user: Any, query: EventQuery, limit: int = EVENT_PAGE) -> list[SecurityEvent]:
    """R5.6: the event explorer, newest first, filtered."""
    qs = _events(user)
    if query.since:
        qs = qs.filter(occurred_at__gte=query.since)
    if query.until:
        qs = qs.filter(occurred_at__lt=query.until)
    if query.agency_id:
        qs = qs.filter(agency_id=query.agency_id)
    if query.rule:
        qs = qs.filter(rule__startswith=query.rule)
    if query.host:
        qs = qs.filter(host=query.host)
    if query.min_severity:
        qs = qs.filter(severity__gte=query.min_severity)
    return list(qs.select_related("agency").order_by("-occurred_at")[:limit])


def event_counts(*, user: Any, days: int = 30, today: dt.date | None = None) -> list[dict[str, Any]]:
    """R5.6: events by agency and rule over the last `days` local days, today included (the benchmark's query),
    the 50 largest first; read from the daily cells (`rollup.py`), never from the events themselves."""
    today = today or timezone.localdate()
    cells = scope_filter(
        EventDay.objects.filter(day__gt=today - dt.timedelta(days=days)),
        scope=user_scope(user=user),
        agency_field="agency_key",
    )
    rows = list(cells.values("agency_key", "rule").annotate(n=Sum("count")).order_by("-n", "rule")[:50])
    names = dict(Agency.objects.filter(pk__in={r["agency_key"] for r in rows}).values_list("pk", "name"))
    return [{"agency__name": names.get(r["agency_key"]), "rule": r["rule"], "n": r["n"]} for r in rows]


def event_sources() -> QuerySet[EventSource]:
    return EventSource.objects.select_related("agency").order_by("name")


def event_source_agency(*, address: str) -> int | bool | None:
    """The agency of an active registered source (False: not registered)."""
    row = EventSource.objects.filter(address=address, is_active=True).values_list("agency_id", flat=True).first()
    return False if row is None else row


def event_rules() -> QuerySet[EventRule]:
    return EventRule.objects.order_by("code")


def rejections() -> QuerySet[Rejection]:
    return Rejection.objects.order_by("channel", "reason")


def cybersecurity_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """DESIGN "Map hooks", R5.6: sites down, and certificates expiring within 14 days, of the user's scope."""
    now = timezone.now()
    qs = asset_list(user=user)
    if where:
        condition = where.q(agency="agency_id", commune=None)
        if condition is None:
            return []
        qs = qs.filter(condition)
    down = list(qs.filter(status=AssetStatus.DOWN).order_by("last_checked_at")[:WORK_LIMIT])
    soon = now + dt.timedelta(days=CERT_WORK_DAYS)
    certs = list(qs.filter(cert_expires_at__lte=soon).order_by("cert_expires_at")[:WORK_LIMIT])
    late = list(
        _exposures(user)
        .filter(asset__in=qs, status__in=OPEN_EXPOSURES, deadline_at__lt=now)
        .select_related("asset", "agency", "vulnerability")
        .order_by("deadline_at")[:WORK_LIMIT]
    )
    return [_down_item(a) for a in down] + [_cert_item(a, now) for a in certs] + [_late_item(e) for e in late]


def _item(asset: Asset, kind: str, title: str, **fields: Any) -> WorkItem:
    return WorkItem(
        source="cybersecurity",
        kind=kind,
        title=title,
        url=reverse("cybersecurity:asset_detail", kwargs={"pk": asset.pk}),
        code=asset.code,
        object_id=asset.pk,
        agency_id=asset.agency_id,
        agency=asset.agency.name,
        **fields,
    )


def _down_item(asset: Asset) -> WorkItem:
    title = _("Không truy cập được: %(name)s") % {"name": asset.name}
    return _item(asset, "site_down", title, at=asset.last_checked_at, severity=Severity.HIGH, status=asset.status)


def _cert_item(asset: Asset, now: dt.datetime) -> WorkItem:
    expires = asset.cert_expires_at or now
    title = _("Chứng thư số sắp hết hạn: %(name)s") % {"name": asset.name}
    return _item(
        asset,
        "certificate",
        title,
        at=expires - dt.timedelta(days=CERT_WORK_DAYS),
        due_at=expires,
        state=OVERDUE if expires <= now else AT_RISK,
        severity=Severity.MEDIUM,
    )


def _late_item(exposure: Exposure) -> WorkItem:
    title = _("Lỗ hổng quá hạn khắc phục: %(code)s — %(name)s") % {
        "code": exposure.vulnerability.code,
        "name": exposure.asset.name,
    }
    return WorkItem(
        source="cybersecurity",
        kind="vulnerability_overdue",
        title=title,
        url=reverse("cybersecurity:vulnerability_detail", kwargs={"pk": exposure.vulnerability_id}),
        code=exposure.vulnerability.code,
        object_id=exposure.pk,
        agency_id=exposure.agency_id,
        agency=exposure.agency.name,
        at=exposure.deadline_at,
        due_at=exposure.deadline_at,
        state=OVERDUE,
        severity=exposure.vulnerability.severity,
        status=exposure.status,
    )


# --- vulnerabilities ------------------------------------------------------------------------------------------
def _exposures(user: Any) -> QuerySet[Exposure]:
    return scope_filter(Exposure.objects.all(), scope=user_scope(user=user), agency_field="agency_id")


def vulnerability_list(*, user: Any) -> list[tuple[Vulnerability, dict[str, int]]]:
    """R5.6: the notices touching the user's agencies (all for the IOC), newest first, with their exposures
    counted: total, open, overdue, fixed (on time)."""
    now = timezone.now()
    rows = (
        _exposures(user)
        .values("vulnerability_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_EXPOSURES)),
            overdue=Count("id", filter=Q(status__in=OPEN_EXPOSURES, deadline_at__lt=now)),
            fixed=Count("id", filter=Q(status=ExposureStatus.FIXED)),
            on_time=Count("id", filter=Q(status=ExposureStatus.FIXED, fixed_on_time=True)),
        )
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts[row["vulnerability_id"]] = {
            "total": row["total"],
            "open": row["open"],
            "overdue": row["overdue"],
            "fixed": row["fixed"],
            "on_time": row["on_time"],
        }
    found = Vulnerability.objects.filter(pk__in=list(counts)).order_by("-published_on", "code")
    return [(v, counts[v.pk]) for v in found]


def vulnerability_get(*, user: Any, pk: int) -> tuple[Vulnerability, list[Exposure]] | None:
    """R5.6: a notice and the exposures the user may see (None: none of them, as if the notice did not exist)."""
    exposures = list(
        _exposures(user).filter(vulnerability_id=pk).select_related("asset", "agency", "vulnerability", "assignment")
    )
    return (exposures[0].vulnerability, exposures) if exposures else None


def vulnerabilities_fixed(*, user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """R8.1, R5.6: exposures fixed in the period, and how many by their deadline."""
    return _exposures(user).aggregate(
        fixed=Count("id", filter=Q(status=ExposureStatus.FIXED, fixed_at__gte=start, fixed_at__lt=end)),
        on_time=Count(
            "id",
            filter=Q(status=ExposureStatus.FIXED, fixed_at__gte=start, fixed_at__lt=end, fixed_on_time=True),
        ),
    )


def cybersecurity_overview(*, user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """R5.6, R6.3: the tile's counters: assets watched, down, with problems, certificates < 14 days, events today."""
    now = now or timezone.now()
    counts = asset_list(user=user).aggregate(
        total=Count("id"),
        down=Count("id", filter=Q(status=AssetStatus.DOWN)),
        degraded=Count("id", filter=Q(status=AssetStatus.DEGRADED)),
        certs=Count("id", filter=Q(cert_expires_at__lte=now + dt.timedelta(days=CERT_WORK_DAYS))),
    )
    counts["events_24h"] = _events(user).filter(occurred_at__gte=now - dt.timedelta(hours=24)).count()
    return counts


def uptime_rows(*, user: Any, start: dt.datetime, end: dt.datetime) -> list[tuple[str, str, float | None, int]]:
    """R8.1, R5.6: per asset in the period: name, agency, uptime % (None: no check), failed checks."""
    assets = list(asset_list(user=user))
    rows = (
        CheckResult.objects.filter(asset__in=assets, checked_at__gte=start, checked_at__lt=end)
        .values("asset_id")
        .annotate(total=Count("id"), up=Count("id", filter=Q(ok=True)))
    )
    found = {r["asset_id"]: (r["up"], r["total"]) for r in rows}
    result = []
    for asset in assets:
        up, total = found.get(asset.pk, (0, 0))
        result.append((asset.name, asset.agency.name, 100.0 * up / total if total else None, total - up))
    return result


def events_in_period(*, user: Any, start: dt.datetime, end: dt.datetime) -> int:
    return _events(user).filter(occurred_at__gte=start, occurred_at__lt=end).count()


def cyber_incidents(*, user: Any, start: dt.datetime, end: dt.datetime) -> int:
    """R8.1, R5.6: incidents of the watch's kinds (`cyber.*`, an intrusion) raised in the period."""
    by_kind = incident_selectors.incidents_counts(user=user, start=start, end=end)["by_kind"]
    return sum(n for kind, n in by_kind.items() if kind.startswith("cyber.") or kind == "security.intrusion")
