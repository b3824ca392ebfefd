"""Reads of federation (R9.1–R9.3): links with their status, messages in and out, dead letters, conflicts, the
operators' work items; and the system reads the collectors send upward (daily summaries, escalated incidents,
indicator values), which act for the whole territory, not for a user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import RequestKind, RequestStatus
from ioc.accounts.models import AccountRequest
from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Report
from ioc.common.roles import actor_has_role
from ioc.common.text import fold
from ioc.common.workitems import WorkItem
from ioc.federation.choices import UNDELIVERED, ConflictState, Flow, LinkRole, OutState
from ioc.federation.models import (
    CodeMapping,
    Conflict,
    DeadLetter,
    InboxMessage,
    Link,
    OutboxMessage,
    ReceivedRecord,
    ReportSubmission,
    SubordinateReport,
)
from ioc.incidents.models import Incident
from ioc.indicators.models import Value

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ESCALATED_SEVERITY = 4
HANDLED = (ReportStatus.RESOLVED, ReportStatus.PUBLISHED)
_OPERATOR_ROLES = ("system_admin", "ioc_operator", "ioc_leader")


def can_see(user: Any) -> bool:
    """Federation's pages are the IOC's (operators, leaders, administrators): the whole territory's links."""
    return actor_has_role(user, _OPERATOR_ROLES)


def mapping_for(*, link: Link, kind: str) -> dict[str, str]:
    return dict(CodeMapping.objects.filter(link=link, kind=kind).values_list("remote_code", "local_code"))


def link_list(*, include_inactive: bool = True) -> QuerySet[Link]:
    qs = Link.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def directive_links() -> QuerySet[Link]:
    """Active child links that agreed to receive directives."""
    children = Link.objects.filter(is_active=True, role=LinkRole.CHILD).exclude(key_id="")
    return children.filter(pk__in=[link.pk for link in children if Flow.DIRECTIVE in link.flows])


def parent_links() -> list[Link]:
    """R9.1: active parent links with keys that agreed to receive reports."""
    links = Link.objects.filter(is_active=True, role=LinkRole.PARENT).exclude(key_id="").order_by("code")
    return [link for link in links if Flow.REPORT_SUBMITTED in link.flows]


def report_submissions(*, report_id: int) -> QuerySet[ReportSubmission]:
    """R8.2: where and when a report was submitted, with the message's delivery state, newest first."""
    return ReportSubmission.objects.filter(report_id=report_id).select_related("link", "message", "submitted_by")


def can_read_subordinate_reports(user: Any) -> bool:
    """The archive of subordinate reports is the center's: IOC staff, administrators and the province's leaders."""
    return actor_has_role(user, (*_OPERATOR_ROLES, "province_leader"))


def subordinate_report_list(*, user: Any, q: str = "", all_versions: bool = False) -> QuerySet[SubordinateReport]:
    """R8, R9.1: reports received from child centers, newest first; current versions unless `all_versions`;
    `q` searches title, number, period and center without diacritics."""
    if not can_read_subordinate_reports(user):
        return SubordinateReport.objects.none()
    qs = SubordinateReport.objects.select_related("link").defer("document")
    if not all_versions:
        qs = qs.filter(is_current=True)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-received_at", "-id")


def subordinate_report_get(*, user: Any, pk: int) -> SubordinateReport | None:
    if not can_read_subordinate_reports(user):
        return None
    return SubordinateReport.objects.select_related("link").filter(pk=pk).first()


def mapping_list(*, link: Link) -> QuerySet[CodeMapping]:
    """R9.1 "Mapping": a link's code mappings by kind and remote code."""
    return CodeMapping.objects.filter(link=link).order_by("kind", "remote_code")


def mapping_get(*, link: Link, pk: int) -> CodeMapping | None:
    return CodeMapping.objects.select_related("link").filter(link=link, pk=pk).first()


def key_requests_pending() -> QuerySet[AccountRequest]:
    """R7.2: pending written requests to issue a system key, which a link's keys are set on."""
    return AccountRequest.objects.filter(kind=RequestKind.ISSUE_TOKEN, status=RequestStatus.PENDING).order_by("-pk")


def link_get(*, code: str) -> Link | None:
    return Link.objects.filter(code=code).first()


@dataclass(frozen=True)
class LinkStatus:
    """R9.3: a link's last success, lag (age of the oldest undelivered message) and backlog."""

    link: Link
    backlog: int
    dead: int
    lag_seconds: float
    conflicts: int


def link_statuses(*, now: dt.datetime | None = None) -> list[LinkStatus]:
    now = now or timezone.now()
    links = list(Link.objects.order_by("role", "code"))
    pending = {
        row["link_id"]: row
        for row in OutboxMessage.objects.filter(state__in=UNDELIVERED)
        .values("link_id")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    }
    dead = dict(
        OutboxMessage.objects.filter(state=OutState.DEAD)
        .values("link_id")
        .annotate(n=Count("pk"))
        .values_list("link_id", "n")
    )
    conflicts = dict(
        Conflict.objects.filter(state=ConflictState.OPEN)
        .values("link_id")
        .annotate(n=Count("pk"))
        .values_list("link_id", "n")
    )
    statuses = []
    for link in links:
        row = pending.get(link.pk)
        lag = (now - row["oldest"]).total_seconds() if row else 0.0
        statuses.append(
            LinkStatus(link, row["n"] if row else 0, dead.get(link.pk, 0), max(lag, 0.0), conflicts.get(link.pk, 0))
        )
    return statuses


def outbox_list(*, link: Link | None = None, state: str = "") -> QuerySet[OutboxMessage]:
    qs = OutboxMessage.objects.select_related("link").defer("payload")
    if link is not None:
        qs = qs.filter(link=link)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def inbox_list(*, link: Link | None = None, state: str = "") -> QuerySet[InboxMessage]:
    qs = InboxMessage.objects.select_related("link").defer("payload")
    if link is not None:
        qs = qs.filter(link=link)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-received_at", "-id")


def dead_letter_list(*, open_only: bool = True) -> QuerySet[DeadLetter]:
    qs = DeadLetter.objects.select_related("message", "message__link", "replayed_by")
    return qs.filter(replayed_at__isnull=True) if open_only else qs


def dead_letter_get(*, pk: int) -> DeadLetter | None:
    return dead_letter_list(open_only=False).filter(pk=pk).first()


def conflict_list(*, open_only: bool = True) -> QuerySet[Conflict]:
    qs = Conflict.objects.select_related("link", "resolved_by")
    return qs.filter(state=ConflictState.OPEN) if open_only else qs


def conflict_get(*, pk: int) -> Conflict | None:
    return Conflict.objects.select_related("link").filter(pk=pk).first()


def record_list(*, flow: str = "") -> QuerySet[ReceivedRecord]:
    qs = ReceivedRecord.objects.select_related("link")
    return qs.filter(flow=flow) if flow else qs


def federation_work_items(*, user: Any) -> list[WorkItem]:
    """R9.3: dead letters to replay and conflicts to resolve, for the IOC's operators."""
    if not can_see(user):
        return []
    items = [
        WorkItem(
            source="federation",
            kind="dead_letter",
            title=_("Thư liên thông không gửi được: %(m)s") % {"m": str(d.message)},
            url=reverse("federation:dead_letters"),
            at=d.created_at,
            severity=3,
            object_id=d.pk,
        )
        for d in dead_letter_list()[:50]
    ]
    items += [
        WorkItem(
            source="federation",
            kind="conflict",
            title=_("Xung đột số liệu liên thông: %(c)s") % {"c": str(c)},
            url=reverse("federation:conflict", args=[c.pk]),
            at=c.created_at,
            severity=2,
            object_id=c.pk,
        )
        for c in conflict_list()[:50]
    ]
    return items


# --- what the collectors send upward (system reads over the whole territory) ------------------------------------


def local_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, LOCAL_TZ)
    return start, start + dt.timedelta(days=1)


def citizen_reports_daily(*, day: dt.date) -> dict[str, Any]:
    """R9.1: a day's citizen reports per commune: received, handled, rejected (local day)."""
    start, end = local_bounds(day)
    rows = (
        Report.objects.filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .values("unit__code")
        .annotate(
            received=Count("pk"),
            handled=Count("pk", filter=Q(status__in=HANDLED)),
            rejected=Count("pk", filter=Q(status=ReportStatus.REJECTED)),
        )
    )
    communes = [
        {
            "unit": r["unit__code"] or "territory",
            "received": r["received"],
            "handled": r["handled"],
            "rejected": r["rejected"],
        }
        for r in sorted(rows, key=lambda r: r["unit__code"] or "")
    ]
    return {"day": day.isoformat(), "communes": communes, "received": sum(c["received"] for c in communes)}


def incidents_daily(*, day: dt.date) -> dict[str, Any]:
    """R9.1: a day's incidents per commune: raised, severe, by kind."""
    start, end = local_bounds(day)
    qs = Incident.objects.filter(raised_at__gte=start, raised_at__lt=end).order_by()
    per_unit = qs.values("unit__code").annotate(
        raised=Count("pk"), severe=Count("pk", filter=Q(severity__gte=ESCALATED_SEVERITY))
    )
    by_kind = dict(qs.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    communes = [
        {"unit": r["unit__code"] or "territory", "raised": r["raised"], "severe": r["severe"]}
        for r in sorted(per_unit, key=lambda r: r["unit__code"] or "")
    ]
    return {"day": day.isoformat(), "communes": communes, "by_kind": by_kind, "raised": sum(by_kind.values())}


def incidents_escalated(*, since: dt.datetime) -> list[dict[str, Any]]:
    """R9.1: incidents escalated to the higher level (severity high or emergency) raised since `since`."""
    qs = (
        Incident.objects.filter(raised_at__gte=since, severity__gte=ESCALATED_SEVERITY)
        .select_related("unit")
        .defer("unit__geometry")
        .order_by("pk")
    )
    return [
        {
            "reference": f"SC-{i.pk}",
            "kind": i.kind,
            "severity": i.severity,
            "state": i.state,
            "title": i.title,
            "unit": i.unit.code if i.unit else "",
            "raised_at": i.raised_at.isoformat(),
            "closed_at": i.closed_at.isoformat() if i.closed_at else None,
        }
        for i in qs
    ]


def indicator_values(*, codes: list[str], since: dt.datetime) -> list[dict[str, Any]]:
    """R9.1: entered (not computed) values of the agreed indicators changed since `since`."""
    qs = (
        Value.objects.filter(indicator__code__in=codes, computed=False, updated_at__gte=since)
        .order_by("indicator__code", "period", "unit__code")
        .values("indicator__code", "unit__code", "period", "value")
    )
    return [
        {
            "indicator": v["indicator__code"],
            "unit": v["unit__code"] or "territory",
            "period": v["period"],
            "value": v["value"],
        }
        for v in qs
    ]


def indicator_periods(*, codes: list[str], since: dt.datetime) -> list[tuple[str, str]]:
    """(indicator, period) pairs with a value changed since `since`: the national export's messages."""
    qs = Value.objects.filter(indicator__code__in=codes, updated_at__gte=since).order_by()
    return sorted(set(qs.values_list("indicator__code", "period")))


def indicator_period_values(*, code: str, period: str) -> list[dict[str, Any]]:
    qs = Value.objects.filter(indicator__code=code, period=period).order_by("unit__code")
    return [
        {"unit": u or "territory", "value": v, "computed": c}
        for u, v, c in qs.values_list("unit__code", "value", "computed")
    ]


def indicator_value_current(*, indicator_code: str, unit_code: str, period: str) -> float | None:
    qs = Value.objects.filter(indicator__code=indicator_code, period=period)
    qs = qs.filter(unit__isnull=True) if unit_code == "territory" else qs.filter(unit__code=unit_code)
    found = qs.values_list("value", flat=True).first()
    return float(found) if found is not None else None


def outbox_backlog() -> dict[int, tuple[int, dt.datetime | None]]:
    rows = (
        OutboxMessage.objects.filter(state__in=UNDELIVERED)
        .values("link_id")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    )
    return {r["link_id"]: (r["n"], r["oldest"]) for r in rows}
