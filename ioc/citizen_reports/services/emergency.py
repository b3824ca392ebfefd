"""Citizen reports meet incidents (R4.1, R4.2, issue 12): the hotline's emergency branch raises an alert from
people; a verified report is escalated to an incident; a surge of reports of one category in one commune raises
one `citizen_reports.surge` alert. Incidents never import citizen reports: this side calls its services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record
from ioc.citizen_reports import selectors
from ioc.citizen_reports.choices import ESCALATABLE_STATUSES, ReportStatus
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.services import _base
from ioc.citizen_reports.services.location import location_resolve
from ioc.geo.models import AdminUnit
from ioc.incidents import services as incident_services
from ioc.incidents.choices import KINDS, AlertSource
from ioc.incidents.models import Alert, Incident

S = ReportStatus
SURGE_KIND = "citizen_reports.surge"
DESCRIPTION_MAX = 4000


def _point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    return (lat, lon) if lat is not None and lon is not None else None


@transaction.atomic
def hotline_emergency_raise(
    *,
    actor: User,
    kind: str,
    description: str,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    unit: AdminUnit | None = None,
) -> Alert:
    """R4.1: an emergency call (fire, accident, crime, medical, disaster) is an alert from people, at the kind's
    default severity, in the IOC's one inbox (it joins an open incident of the same kind in the same commune)."""
    _base.require_ioc(actor)
    description = _base.clean_text(description, field="description", max_length=DESCRIPTION_MAX, required=True)
    address = _base.clean_text(address, field="address", max_length=300)
    spec = KINDS.get(kind)
    place = location_resolve(lat=lat, lon=lon, unit=unit)
    where = address or (place.unit.name if place.unit else "")
    label = str(spec.label) if spec else kind
    now = timezone.now()
    return incident_services.alert_raise(
        source=AlertSource.PEOPLE,
        dedup_key=f"hotline:{actor.pk}:{now:%Y%m%d%H%M%S%f}",
        kind=kind,
        severity=spec.default_severity if spec else 0,
        title=(f"{label}: {where}" if where else label)[:200],
        occurred_at=now,
        point=_point(place.lat, place.lon),
        unit=place.unit,
        payload={"channel": "hotline", "description": description, "address": address},
        actor=actor,
    )


@transaction.atomic
def report_escalate(*, report: Report, actor: User, kind: str, severity: int | None = None, note: str = "") -> Incident:
    """R4.2: a verified report is serious enough to be an incident: it becomes one (or joins the open incident
    of the same kind and commune); the report keeps its own flow and notes the incident on its timeline."""
    _base.require_ioc(actor)
    note = _base.clean_text(note, field="note", max_length=DESCRIPTION_MAX)
    fresh = _base.lock(report)
    if fresh.status not in ESCALATABLE_STATUSES:
        _base.refuse(
            "status",
            _("Chỉ phản ánh đã xác minh mới chuyển thành sự cố (đang “%(status)s”) / Verify the report first")
            % {"status": S(fresh.status).label},
            "transition",
        )
    spec = KINDS.get(kind)
    incident = incident_services.incident_escalate(
        source=AlertSource.CITIZEN_REPORTS,
        dedup_key=f"report:{fresh.tracking_code}",
        kind=kind,
        severity=severity if severity is not None else (spec.default_severity if spec else 0),
        title=f"{fresh.tracking_code}: {fresh.category.name}"[:200],
        description=note or fresh.description[:DESCRIPTION_MAX],
        occurred_at=fresh.received_at,
        point=_point(fresh.lat, fresh.lon),
        unit=fresh.unit,
        payload={"report": fresh.tracking_code, "category": fresh.category.code},
        actor=actor,
    )
    text = _("Chuyển thành sự cố %(ref)s / Escalated to incident %(ref)s") % {"ref": incident.reference}
    _base.event(fresh, actor=actor, from_status=fresh.status, to_status=fresh.status, note=text, is_public=False)
    audit_record(actor=actor, action="report.escalate", obj=fresh, changes={"incident": incident.pk, "kind": kind})
    return incident


def report_surge_alerts(*, now: dt.datetime | None = None) -> int:
    """R4.1: one `citizen_reports.surge` alert per commune and category with IOC_REPORT_SURGE_COUNT reports in
    the last IOC_REPORT_SURGE_MINUTES; a surge still open updates its alert (dedup key), never a second one."""
    now = now or timezone.now()
    minutes = int(settings.IOC_REPORT_SURGE_MINUTES)
    surges = selectors.report_surges(
        since=now - dt.timedelta(minutes=minutes), threshold=settings.IOC_REPORT_SURGE_COUNT
    )
    actor = system_account()
    for surge in surges:
        _raise_surge(surge, minutes, now, actor)
    return len(surges)


def _raise_surge(surge: Any, minutes: int, now: dt.datetime, actor: User) -> None:
    title = _("%(n)d phản ánh “%(category)s” tại %(unit)s trong %(m)d phút") % {
        "n": surge.count,
        "category": surge.category_name,
        "unit": surge.unit_name,
        "m": minutes,
    }
    incident_services.alert_raise(
        source=AlertSource.CITIZEN_REPORTS,
        dedup_key=f"surge:{surge.category_code}:{surge.unit_code}",
        kind=SURGE_KIND,
        severity=KINDS[SURGE_KIND].default_severity,
        title=title[:200],
        occurred_at=now,
        unit=AdminUnit.objects.get(pk=surge.unit_id),
        payload={"category": surge.category_code, "count": surge.count, "minutes": minutes},
        actor=actor,
    )
