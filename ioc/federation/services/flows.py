"""How each flow is checked and applied on the receiving center (R9.1, "Mapping").

`prepare` checks a message's payload before anything is written and maps its codes through the link (an unknown
indicator, unit or agency is refused, naming the field); `apply` writes it inside the inbox's transaction and
returns the inbox state: applied, or conflict when an indicator value differs from one this center already has
from another source (shown, never overwritten).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.agencies import selectors as agency_selectors
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.common.periods import period_parse
from ioc.common.text import fold
from ioc.federation import selectors
from ioc.federation.choices import Flow, InState, MappingKind
from ioc.federation.models import Conflict, InboxMessage, Link, ReceivedRecord, ReceivedValue, SubordinateReport
from ioc.geo import selectors as geo
from ioc.incidents.choices import KINDS
from ioc.incidents.services import alert_raise, alert_resolve
from ioc.indicators.services import values_check, values_import

Errors = dict[str, list[str]]
TERRITORY = "territory"
DIRECTIVE_PROCESS = "federation"
ALERT_SOURCE = "federation"
_INDICATOR_FIELDS = {"dataElement": "indicator", "orgUnit": "unit", "period": "period", "value": "value"}


class PayloadError(Exception):
    """A payload refused: {field under `payload`: [reasons]}."""

    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors


def _refuse(field: str, message: str) -> PayloadError:
    return PayloadError({field: [message]})


def map_code(link: Link, kind: str, code: str) -> str:
    return selectors.mapping_for(link=link, kind=kind).get(code, code)


def resolve_unit(link: Link, ref: Any) -> str:
    """The 2025 code (or "territory") a unit reference of the other center means here: the link's mapping first,
    then the reference itself; a legacy unit (`legacy:<code>`) becomes the one 2025 unit it passed into."""
    code = map_code(link, MappingKind.UNIT, str(ref or "").strip())
    if code == TERRITORY:
        return code
    try:
        unit = geo.unit_get(ref=code)
    except (geo.UnitRefError, geo.UnitNotFoundError):
        raise _refuse("unit", _("Mã đơn vị không có / Unknown unit code: %(c)s") % {"c": str(ref)[:40]}) from None
    if unit.hierarchy == "legacy":
        successors = list(geo.unit_successors(unit=unit))
        if len(successors) != 1:
            raise _refuse("unit", _("Mã cũ cần ánh xạ / A legacy code needs a mapping: %(c)s") % {"c": str(ref)[:40]})
        return str(successors[0].new.code)
    return str(unit.code)


def _object(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise _refuse("payload", _("Nội dung phải là đối tượng JSON / The payload must be a JSON object"))
    return payload


# --- indicator values -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRow:
    indicator: str
    unit: str
    period: str
    value: float


def prepare_value(link: Link, payload: Any) -> ValueRow:
    data = _object(payload)
    code = map_code(link, MappingKind.INDICATOR, str(data.get("indicator", "")))
    unit = resolve_unit(link, data.get("unit", ""))
    row = {"indicator": code, "unit": unit, "period": str(data.get("period", "")), "value": data.get("value", "")}
    _clean, conflicts = values_check(actor=system_account(), rows=[row])  # type: ignore[list-item]
    if conflicts:
        raise PayloadError(
            {_INDICATOR_FIELDS.get(c["field"], c["field"]): [f"{c['reason']}: {c['value']}"] for c in conflicts}
        )
    return ValueRow(code, unit, row["period"], float(row["value"]))


def apply_value(link: Link, message: InboxMessage, row: ValueRow) -> str:
    """Write the value, unless this center holds another one for it from another source (a conflict)."""
    existing = selectors.indicator_value_current(indicator_code=row.indicator, unit_code=row.unit, period=row.period)
    mine = ReceivedValue.objects.filter(
        link=link, indicator_code=row.indicator, unit_code=row.unit, period=row.period
    ).first()
    if existing is not None and existing != row.value and (mine is None or mine.value != existing):
        Conflict.objects.create(
            link=link,
            message=message,
            indicator_code=row.indicator,
            unit_code=row.unit,
            period=row.period,
            local_value=existing,
            received_value=row.value,
        )
        return InState.CONFLICT
    value_write(link=link, row=row)
    return InState.APPLIED


def value_write(*, link: Link, row: ValueRow) -> None:
    """Store a received value through the indicators' import (aggregates recomputed up to the territory)."""
    if selectors.indicator_value_current(indicator_code=row.indicator, unit_code=row.unit, period=row.period) != (
        row.value
    ):
        summary = values_import(
            actor=system_account(),
            rows=[{"indicator": row.indicator, "unit": row.unit, "period": row.period, "value": row.value}],
        )
        if summary["conflicts"]:
            raise ValidationError({"payload": [str(c["reason"]) for c in summary["conflicts"]]})
    ReceivedValue.objects.update_or_create(
        link=link,
        indicator_code=row.indicator,
        unit_code=row.unit,
        period=row.period,
        defaults={"value": row.value},
    )


# --- summaries, escalated incidents, national export: kept as received records ---------------------------------


def prepare_daily(link: Link, payload: Any) -> dict[str, Any]:
    data = dict(_object(payload))
    try:
        dt.date.fromisoformat(str(data.get("day", "")))
    except ValueError:
        raise _refuse("day", _("Ngày dạng YYYY-MM-DD / A day as YYYY-MM-DD")) from None
    communes = data.get("communes", [])
    if not isinstance(communes, list) or not all(isinstance(c, dict) for c in communes):
        raise _refuse("communes", _("Danh sách xã phải là mảng đối tượng / A list of objects"))
    mapped = []
    for n, commune in enumerate(communes):
        try:
            mapped.append({**commune, "unit": resolve_unit(link, commune.get("unit"))})
        except PayloadError as exc:
            raise PayloadError({f"communes[{n}].unit": exc.errors["unit"]}) from None
    data["communes"] = mapped
    return data


def prepare_incident(link: Link, payload: Any) -> dict[str, Any]:
    data = dict(_object(payload))
    if not str(data.get("title", "")).strip():
        raise _refuse("title", _("Cần tiêu đề sự cố / The incident title is required"))
    if not str(data.get("reference", "")).strip():
        raise _refuse("reference", _("Cần mã sự cố / The incident reference is required"))
    if data.get("kind") not in KINDS:
        raise _refuse(
            "kind", _("Loại sự cố không có / Unknown incident kind: %(k)s") % {"k": str(data.get("kind"))[:60]}
        )
    severity = data.get("severity")
    if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 5:
        raise _refuse("severity", _("Mức độ từ 1 đến 5 / Severity 1 to 5"))
    try:
        data["raised_at_dt"] = dt.datetime.fromisoformat(str(data.get("raised_at", "")))
    except ValueError:
        raise _refuse("raised_at", _("Thời điểm dạng ISO 8601 / An ISO 8601 moment")) from None
    if data.get("unit"):
        data["unit"] = resolve_unit(link, data["unit"])
    return data


def apply_incident(link: Link, message: InboxMessage, data: dict[str, Any]) -> str:
    """R9.1, R4.1: an incident a child center escalated: kept as a received record and raised in this center's
    one alert inbox (source "federation", one alert per child incident while it is open; resolved when the child
    closes it)."""
    stored = {k: v for k, v in data.items() if k != "raised_at_dt"}
    records_apply(link, [(message, stored)])
    dedup_key = f"{link.code}:{data['reference']}"[:200]
    if data.get("closed_at"):
        alert_resolve(source=ALERT_SOURCE, dedup_key=dedup_key, actor=system_account())
        return str(InState.APPLIED)
    unit_code = str(data.get("unit") or "")
    unit = geo.unit_get(ref=unit_code) if unit_code and unit_code != TERRITORY else None
    occurred = data["raised_at_dt"]
    alert_raise(
        source=ALERT_SOURCE,
        dedup_key=dedup_key,
        kind=str(data["kind"]),
        severity=int(data["severity"]),
        title=f"[{link.name}] {data['title']}"[:200],
        occurred_at=occurred if occurred.tzinfo else occurred.replace(tzinfo=dt.UTC),
        unit=unit,
        payload={"link": link.code, **stored},
        actor=system_account(),
    )
    return str(InState.APPLIED)


def prepare_national(link: Link, payload: Any) -> dict[str, Any]:
    data = dict(_object(payload))
    if data.get("format") != NATIONAL_FORMAT:
        raise _refuse("format", _("Định dạng không đúng / Unknown format, expected %(f)s") % {"f": NATIONAL_FORMAT})
    if not isinstance(data.get("values"), list):
        raise _refuse("values", _("Cần danh sách giá trị / A list of values is required"))
    return data


NATIONAL_FORMAT = "ioc-national-indicators/1"


def apply_record(link: Link, message: InboxMessage, data: dict[str, Any]) -> str:
    records_apply(link, [(message, data)])
    return InState.APPLIED


def records_apply(link: Link, items: list[tuple[InboxMessage, dict[str, Any]]]) -> None:
    """Upsert the received records of a batch (the newest version of each object) in a few statements."""
    if not items:
        return
    now = timezone.now()
    existing = {
        (r.flow, r.object_key): r
        for r in ReceivedRecord.objects.filter(link=link, object_key__in=[m.object_key for m, _d in items])
    }
    new, changed = [], []
    for message, data in items:
        record = existing.get((message.flow, message.object_key))
        if record is None:
            new.append(
                ReceivedRecord(
                    link=link,
                    flow=message.flow,
                    object_key=message.object_key,
                    version=message.version,
                    data=data,
                    updated_at=now,
                )
            )
        else:
            record.version, record.data, record.updated_at = message.version, data, now
            changed.append(record)
    ReceivedRecord.objects.bulk_create(new)
    ReceivedRecord.objects.bulk_update(changed, ["version", "data", "updated_at"])


# --- directives from the parent: they land as assignments --------------------------------------------------------


def prepare_directive(link: Link, payload: Any) -> dict[str, Any]:
    data = dict(_object(payload))
    agency = agency_selectors.agency_get(code=str(data.get("agency", "")))
    if agency is None or not agency.is_active:
        raise _refuse("agency", _("Cơ quan không có / Unknown agency: %(c)s") % {"c": str(data.get("agency"))[:60]})
    if not str(data.get("title", "")).strip():
        raise _refuse("title", _("Cần tiêu đề / The title is required"))
    hours = data.get("working_hours")
    if not isinstance(hours, int | float) or not 0 < hours <= 2000:
        raise _refuse("working_hours", _("Thời hạn (giờ làm việc) không hợp lệ / Invalid working hours"))
    return {**data, "agency_obj": agency}


def apply_directive(link: Link, message: InboxMessage, data: dict[str, Any]) -> str:
    subject_id = f"{link.code}:{message.object_key}"[:64]
    if not Assignment.objects.filter(process=DIRECTIVE_PROCESS, subject_id=subject_id).exists():
        assignment_services.assignment_forward(
            process=DIRECTIVE_PROCESS,
            subject_id=subject_id,
            subject_label=str(data["title"])[:200],
            category_code="",
            agency=data["agency_obj"],
            working_hours=float(data["working_hours"]),
            instructions=str(data.get("instructions", ""))[:4000],
            actor=system_account(),
        )
    return InState.APPLIED


# --- reports submitted by a child: the archive of subordinate reports (R8, R9.1) --------------------------------


def _text(data: dict[str, Any], field: str, limit: int) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _refuse(field, _("Cần chuỗi 1–%(n)s ký tự / A string of 1–%(n)s characters") % {"n": limit})
    return value.strip()


def _document(data: dict[str, Any]) -> bytes:
    try:
        document = base64.b64decode(str(data.get("docx", "")), validate=True)
    except (binascii.Error, ValueError):
        raise _refuse("docx", _("Văn bản phải mã hóa base64 / The document must be base64")) from None
    if not document.startswith(b"PK"):
        raise _refuse("docx", _("Văn bản không phải tệp .docx / Not a .docx document"))
    if hashlib.sha256(document).hexdigest() != data.get("sha256"):
        raise _refuse("sha256", _("Mã băm không khớp văn bản / The digest does not match the document"))
    return document


def prepare_report(link: Link, payload: Any) -> dict[str, Any]:
    """R9.1: a submitted report's payload checked whole (a field named on refusal)."""
    data = _object(payload)
    checked = {field: _text(data, field, limit) for field, limit in _FIELDS}
    try:
        period_parse(checked["period"])
    except ValidationError:
        raise _refuse("period", _("Kỳ không hợp lệ / Unknown period id")) from None
    try:
        issued_on = dt.date.fromisoformat(str(data.get("issued_on", "")))
    except ValueError:
        raise _refuse("issued_on", _("Ngày dạng YYYY-MM-DD / A day as YYYY-MM-DD")) from None
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 0 < version < 1000:
        raise _refuse("version", _("Phiên bản là số nguyên dương / A positive integer"))
    return {**checked, "issued_on": issued_on, "version": version, "document": _document(data)}


_FIELDS = (("report_key", 200), ("template_name", 200), ("period", 10), ("title", 300), ("number", 40))


def apply_report(link: Link, message: InboxMessage, data: dict[str, Any]) -> str:
    """Keep the report in the archive; the earlier version of the same report is superseded."""
    now = timezone.now()
    SubordinateReport.objects.filter(link=link, report_key=data["report_key"], is_current=True).update(
        is_current=False, superseded_at=now
    )
    document: bytes = data["document"]
    parts = (data["title"], data["number"], data["period"], data["template_name"], link.name)
    SubordinateReport.objects.create(
        link=link,
        message=message,
        report_key=data["report_key"],
        template_name=data["template_name"],
        period=data["period"],
        title=data["title"],
        number=data["number"],
        issued_on=data["issued_on"],
        version=data["version"],
        document=document,
        document_sha256=hashlib.sha256(document).hexdigest(),
        search_text=fold(" ".join(parts)),
        received_at=now,
    )
    return str(InState.APPLIED)


@dataclass(frozen=True)
class Handler:
    prepare: Callable[[Link, Any], Any]
    apply: Callable[[Link, InboxMessage, Any], str]


HANDLERS: dict[str, Handler] = {
    Flow.INDICATOR_VALUE: Handler(prepare_value, apply_value),
    Flow.CITIZEN_REPORTS_DAILY: Handler(prepare_daily, apply_record),
    Flow.INCIDENTS_DAILY: Handler(prepare_daily, apply_record),
    Flow.INCIDENT_ESCALATED: Handler(prepare_incident, apply_incident),
    Flow.NATIONAL_EXPORT: Handler(prepare_national, apply_record),
    Flow.DIRECTIVE: Handler(prepare_directive, apply_directive),
    Flow.REPORT_SUBMITTED: Handler(prepare_report, apply_report),
}
