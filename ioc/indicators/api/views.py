"""The indicator values API under /api/v1/indicators/ (R2.3): a DHIS2-style `dataValueSets` import.

JSON `{"dataValues": [{"dataElement", "period", "orgUnit", "value"}]}` or CSV with those columns (any case;
DHIS2's extra columns are ignored); `?dryRun=true` checks and counts without storing. Answers the import summary:
200 when stored (or, dry, when it would be), 409 with the shared error body plus `summary` when any row conflicts
(nothing stored), 400 for a payload that is not a data value set.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.common.errors import error_body
from ioc.common.parsers import SafeJSONParser
from ioc.common.plaintext import refuse_json_nul
from ioc.indicators import services
from ioc.indicators.services import ValueRow

TAGS = ["indicators"]
_COLUMNS = {"dataelement": "indicator", "period": "period", "orgunit": "unit", "value": "value"}
_SUMMARY = inline_serializer(
    "IndicatorImportSummary",
    {
        "status": serializers.ChoiceField(choices=["accepted", "partial", "rejected"]),
        "imported": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "ignored": serializers.IntegerField(),
        "rejected": serializers.IntegerField(),
        "conflicts": serializers.ListField(child=serializers.DictField()),
    },
)
_CONFLICTS = inline_serializer(
    "IndicatorImportConflicts",
    {"error": serializers.DictField(), "request_id": serializers.CharField(), "summary": _SUMMARY},
)
_INPUT = inline_serializer(
    "DataValueSet",
    {
        "dataValues": serializers.ListField(
            child=inline_serializer(
                "DataValue",
                {
                    "dataElement": serializers.CharField(),
                    "period": serializers.CharField(),
                    "orgUnit": serializers.CharField(),
                    "value": serializers.CharField(),
                },
            )
        )
    },
)


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = "Nội dung quá lớn / Payload too large"
    default_code = "payload_too_large"


class CsvParser(BaseParser):
    """A CSV body, read up to DATA_UPLOAD_MAX_MEMORY_SIZE (issue 16 part 5: a larger one is a 413, unread)."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(body) > limit:
            raise BodyTooLarge()
        return {"csv": body.decode("utf-8-sig", errors="replace")}


def _bad(field: str, reason: str) -> ValidationError:
    return ValidationError({field: [reason]})


def _rows_from_csv(text: str) -> list[ValueRow]:
    try:
        return _csv_rows(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a cell over the csv module's field limit, an unclosed quote
        raise _bad("csv", f"Tệp CSV hỏng / Malformed CSV: {str(exc)[:120]}") from exc


def _csv_rows(reader: Any) -> list[ValueRow]:
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise _bad("csv", "Thiếu cột / Missing columns: " + ", ".join(missing))
    at = {name: header.index(col) for col, name in _COLUMNS.items()}
    rows: list[ValueRow] = []
    for line in reader:
        if not any(cell.strip() for cell in line):
            continue
        cells = [*line, *[""] * len(header)]
        rows.append(
            ValueRow(
                indicator=cells[at["indicator"]].strip(),
                period=cells[at["period"]].strip(),
                unit=cells[at["unit"]].strip(),
                value=cells[at["value"]].strip(),
            )
        )
    return rows


def _rows_from_json(data: Any) -> list[ValueRow]:
    values = data.get("dataValues") if isinstance(data, dict) else None
    if not isinstance(values, list):
        raise _bad("dataValues", "Cần danh sách dataValues / dataValues must be a list")
    rows: list[ValueRow] = []
    for item in values:
        if not isinstance(item, dict):
            raise _bad("dataValues", "Mỗi phần tử là một đối tượng / Each data value is an object")
        rows.append(
            ValueRow(
                indicator=str(item.get("dataElement", "")),
                period=str(item.get("period", "")),
                unit=str(item.get("orgUnit", "") or ""),
                value=str(item.get("value", "")),
            )
        )
    return rows


def _dry_run(request: AuthedApiRequest) -> bool:
    raw = request.query_params.get("dryRun", "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise _bad("dryRun", "dryRun là true hoặc false / dryRun is true or false")
    return raw in ("true", "1")


class DataValueSetsView(APIView):
    parser_classes = [SafeJSONParser, CsvParser]

    @extend_schema(
        tags=TAGS,
        operation_id="indicators_data_value_sets",
        summary="Nhập giá trị chỉ số (dataValueSets) / Import indicator values",
        description="JSON hoặc CSV; tất cả hoặc không / JSON or CSV; all or nothing.",
        parameters=[OpenApiParameter("dryRun", bool, description="Chỉ kiểm tra / Check only")],
        request={"application/json": _INPUT, "text/csv": {"type": "string"}},
        responses={200: _SUMMARY, 409: OpenApiResponse(_CONFLICTS, description="Xung đột, không lưu gì / Conflicts")},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        dry_run = _dry_run(request)
        data = request.data
        if isinstance(data, dict) and "csv" in data:
            rows = _rows_from_csv(data["csv"])  # a NUL in a cell is that row's fault, named by row and column (409)
        else:
            refuse_json_nul(data)  # PostgreSQL stores no NUL: a 400 naming the place, not a 500
            rows = _rows_from_json(data)
        summary = services.values_import(actor=request.user, rows=rows, dry_run=dry_run)
        if summary["status"] == "accepted":
            return Response(summary)
        fields: dict[str, list[str]] = {}
        for c in summary["conflicts"]:
            fields.setdefault(f"row {c['row']}.{c['field']}", []).append(c["reason"])
        body = error_body(request, "import_conflicts", "Lô dữ liệu có xung đột, không lưu gì / Conflicts", fields)
        return Response({**body, "summary": summary}, status=409)
