"""A batch of alerts in one request (R4.1; issue 12 "Speed": a storm of 10,000 alerts a minute is too many
requests one by one): `POST /api/v1/incidents/alerts/` with a JSON list.

Each item is what the single call takes, checked alone; the valid ones are raised in order in one transaction
(`alert_raise_batch`), a bad one is refused in its place and named in the answer (the import summary's conflicts:
row = its index in the list, field, value, reason) while the good ones are stored. The answer: 200 with the summary
and one line per item (created, updated or rejected); 422 in the shared error body, with the summary, when every
item is refused; 400 when the list is empty or longer than BATCH_MAX.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from ioc.common.authed import AuthedApiRequest
from ioc.common.errors import error_body
from ioc.common.imports import ImportConflict, ImportSummary, import_summary
from ioc.incidents import services
from ioc.incidents.api.serializers import AlertInputSerializer
from ioc.incidents.models import Alert

BATCH_MAX = 1000
VALUE_SHOWN = 200  # characters of a refused value echoed back


def _conflicts(row: int, item: Any, errors: dict[str, Any]) -> list[ImportConflict]:
    out: list[ImportConflict] = []
    for field, reasons in errors.items():
        value = item.get(field, "") if isinstance(item, dict) else item
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            out.append(ImportConflict(row=row, field=str(field), value=str(value)[:VALUE_SHOWN], reason=str(reason)))
    return out


def _check(items: list[Any]) -> tuple[dict[int, services.AlertInput], list[ImportConflict]]:
    """Each item alone, as the single call checks it: the valid ones by row, the refusals."""
    valid: dict[int, services.AlertInput] = {}
    conflicts: list[ImportConflict] = []
    for row, item in enumerate(items):
        serializer = AlertInputSerializer(data=item)
        if serializer.is_valid():
            valid[row] = services.AlertInput(**serializer.service_kwargs())
        else:
            conflicts.extend(_conflicts(row, item, dict(serializer.errors)))
    return valid, conflicts


def _items_too_many_or_none(items: list[Any]) -> None:
    if not items:
        raise exceptions.ValidationError({"items": [_("Danh sách cảnh báo trống / The list of alerts is empty")]})
    if len(items) > BATCH_MAX:
        raise exceptions.ValidationError(
            {"items": [_("Tối đa %(n)d cảnh báo mỗi lần gửi / At most %(n)d alerts per request") % {"n": BATCH_MAX}]}
        )


def alerts_batch(request: AuthedApiRequest, items: list[Any]) -> Response:
    """R4.1: raise a list of alerts; the answer per item (see the module)."""
    _items_too_many_or_none(items)
    valid, conflicts = _check(items)
    summary, lines = _answer(request, items, valid, conflicts)
    body: dict[str, Any] = {**summary, "items": lines}
    if summary["status"] != "rejected":
        return Response(body, status=status.HTTP_200_OK)
    fields: dict[str, list[str]] = {}
    for conflict in conflicts[:50]:
        fields.setdefault(f"{conflict['row']}.{conflict['field']}", []).append(conflict["reason"])
    refused = error_body(request, "rejected", _("Mọi cảnh báo đều bị từ chối / Every alert was refused"), fields)
    return Response({**refused, "summary": body}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def _answer(
    request: AuthedApiRequest,
    items: list[Any],
    valid: dict[int, services.AlertInput],
    conflicts: list[ImportConflict],
) -> tuple[ImportSummary, list[dict[str, Any]]]:
    results: dict[int, Alert | ValidationError] = {}
    created: frozenset[int] = frozenset()
    if valid:
        burst = services.alert_raise_batch(alerts=list(valid.values()), actor=request.user)
        results, created = dict(zip(valid, burst.results, strict=True)), burst.created
    lines: list[dict[str, Any]] = []
    seen: set[int] = set()
    counts = {"created": 0, "updated": 0}
    for row in range(len(items)):
        outcome = results.get(row)
        if isinstance(outcome, ValidationError):
            conflicts.extend(_conflicts(row, items[row], outcome.message_dict))
        if not isinstance(outcome, Alert):
            lines.append({"row": row, "result": "rejected"})
            continue
        result = "created" if outcome.pk in created and outcome.pk not in seen else "updated"
        seen.add(outcome.pk)
        counts[result] += 1
        lines.append({"row": row, "result": result, "id": outcome.pk})
    conflicts.sort(key=lambda c: c["row"])
    return import_summary(imported=counts["created"], updated=counts["updated"], conflicts=conflicts), lines
