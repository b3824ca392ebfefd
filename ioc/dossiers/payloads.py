"""One event of the one-stop shop as sent (push API or pull dataset row) → a checked `ParsedEvent` (R5.3).

Only the shape is judged here (issue 23 "Bad input": field and reason); what needs the database (unknown
procedure or step, another agency's dossier, repeats) is judged by the service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ioc.dossiers.choices import CODE_MAX, FUTURE_TOLERANCE_SECONDS, TEXT_MAX, Channel, EventKind
from ioc.worktime.selectors import LOCAL_TZ

FIELDS = (
    "event_id",
    "dossier",
    "kind",
    "occurred_at",
    "procedure",
    "channel",
    "documents",
    "phone",
    "id_number",
    "unit",
    "step",
    "account",
    "assignee",
    "reason",
    "new_due",
    "amount",
    "rating",
    "digitised",
)


@dataclass(frozen=True)
class ParsedEvent:
    event_id: str
    dossier: str
    kind: str
    occurred_at: dt.datetime
    procedure: str = ""
    channel: str = ""
    documents: tuple[str, ...] = ()
    phone: str = ""
    id_number: str = ""
    unit: str = ""
    step: str = ""
    account: str = ""
    assignee: str = ""
    reason: str = ""
    new_due: dt.datetime | None = None
    amount: Decimal | None = None
    rating: int | None = None
    digitised: bool = False


class PayloadError(Exception):
    """A row's field and reason (the import summary's conflict)."""

    def __init__(self, field: str, reason: str, value: Any = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.value = field, reason, str(value)[:200]


def _text(row: dict[str, Any], name: str, *, required: bool = False, limit: int = CODE_MAX) -> str:
    value = row.get(name)
    if value is None or value == "":
        if required:
            raise PayloadError(name, _("Thiếu trường bắt buộc / Required field"))
        return ""
    if not isinstance(value, str | int):
        raise PayloadError(name, _("Cần một chuỗi / Must be a string"), value)
    text = str(value).strip()
    if len(text) > limit:
        raise PayloadError(name, _("Quá dài / Too long"), text)
    if required and not text:
        raise PayloadError(name, _("Thiếu trường bắt buộc / Required field"))
    return text


def _moment(row: dict[str, Any], name: str, *, required: bool) -> dt.datetime | None:
    raw = _text(row, name, required=required, limit=40)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise PayloadError(name, _("Thời điểm không hợp lệ (ISO 8601) / Not an ISO 8601 date-time"), raw)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def _documents(row: dict[str, Any]) -> tuple[str, ...]:
    value = row.get("documents") or []
    if isinstance(value, str):
        value = [part for part in value.split(";") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 200 for v in value):
        raise PayloadError("documents", _("Cần danh sách tên giấy tờ / Must be a list of document names"), value)
    return tuple(v.strip() for v in value)


def _rating(row: dict[str, Any], kind: str) -> int | None:
    if kind != EventKind.RATING:
        return None
    value = row.get("rating")
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if text not in {"1", "2", "3", "4", "5"}:
        raise PayloadError("rating", _("Đánh giá từ 1 đến 5 / Rating 1 to 5"), value)
    return int(text)


def _amount(row: dict[str, Any]) -> Decimal | None:
    value = row.get("amount")
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise PayloadError("amount", _("Số tiền không hợp lệ / Not a number"), value) from exc
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e13"):
        raise PayloadError("amount", _("Số tiền không hợp lệ / Not a number"), value)
    return amount


def _kind_fields(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """What one kind requires: a receipt its procedure and channel, a step event its step, an apology its date."""
    fields: dict[str, Any] = {}
    if kind == EventKind.RECEIPT:
        fields["procedure"] = _text(row, "procedure", required=True)
        fields["channel"] = _text(row, "channel", required=True)
        if fields["channel"] not in Channel.values:
            raise PayloadError("channel", _("Kênh tiếp nhận không hợp lệ / Unknown channel"), fields["channel"])
    if kind in (EventKind.STEP_DONE, EventKind.TRANSFER):
        fields["step"] = _text(row, "step", required=True)
    return fields


def event_parse(row: Any, *, now: dt.datetime | None = None) -> ParsedEvent:
    """R5.3: a checked event, or PayloadError naming the field and the reason."""
    now = now or timezone.now()
    if not isinstance(row, dict):
        raise PayloadError("row", _("Cần một đối tượng JSON / Must be a JSON object"), type(row).__name__)
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        raise PayloadError(unknown[0], _("Trường không được hỗ trợ / Unknown field"))
    kind = _text(row, "kind", required=True)
    if kind not in EventKind.values:
        raise PayloadError("kind", _("Loại sự kiện không hợp lệ / Unknown event kind"), kind)
    occurred_at = _moment(row, "occurred_at", required=True)
    assert occurred_at is not None
    if occurred_at > now + dt.timedelta(seconds=FUTURE_TOLERANCE_SECONDS):
        raise PayloadError("occurred_at", _("Thời điểm ở tương lai / A time in the future"), occurred_at.isoformat())
    new_due = _moment(row, "new_due", required=kind == EventKind.APOLOGY)
    return ParsedEvent(
        event_id=_text(row, "event_id", required=True),
        dossier=_text(row, "dossier", required=True),
        kind=kind,
        occurred_at=occurred_at,
        documents=_documents(row),
        phone=_text(row, "phone", limit=40),
        id_number=_text(row, "id_number", limit=40),
        unit=_text(row, "unit", limit=40),
        account=_text(row, "account", limit=150),
        assignee=_text(row, "assignee", limit=150),
        reason=_text(row, "reason", limit=TEXT_MAX),
        new_due=new_due,
        amount=_amount(row),
        rating=_rating(row, kind),
        digitised=row.get("digitised") in (True, "true", "1", 1),
        **_kind_fields(row, kind),
    )


def dossier_code_of(row: Any) -> str:
    """The dossier code `event_parse` would read from `row` ("" when it would refuse it): what the intake locks
    before it reads (services/locks.py)."""
    value = row.get("dossier") if isinstance(row, dict) else None
    return str(value).strip()[:CODE_MAX] if isinstance(value, str | int) else ""


def event_payload(event: ParsedEvent) -> dict[str, Any]:
    """The JSON form of a parsed event (what a held event keeps until its receipt arrives). Never the citizen's
    phone or ID number: they are stored only as blind indexes on the dossier, from its receipt — which is never
    held — so a held event has no use for them (R5.3, personal data)."""
    skipped = ("documents", "new_due", "phone", "id_number")
    data: dict[str, Any] = {name: getattr(event, name) for name in FIELDS if name not in skipped}
    data["occurred_at"] = event.occurred_at.isoformat()
    data["documents"] = list(event.documents)
    data["new_due"] = event.new_due.isoformat() if event.new_due else ""
    data["amount"] = str(event.amount) if event.amount is not None else ""
    return {key: value for key, value in data.items() if value not in ("", None, False)}
