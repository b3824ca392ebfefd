"""The information-security API under /api/v1/cybersecurity/ (R5.6): SIEMs and sensors push Wazuh alerts, Suricata
EVE records or CEF/syslog lines with a token holding `cybersecurity.events`; the answer is the shared import summary
naming row, field and reason of each refusal. Thin: parse, call one ingest, answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.accounts.selectors import agency_of_user
from ioc.common.authed import AuthedApiRequest
from ioc.common.parsers import SafeJSONParser
from ioc.common.plaintext import refuse_json_nul
from ioc.cybersecurity.ingest import API_MAX_ITEMS, api_ingest

TAGS = ["cybersecurity"]
_SUMMARY = inline_serializer(
    "SecurityEventImportSummary",
    {
        "status": serializers.ChoiceField(choices=["accepted", "partial", "rejected"]),
        "imported": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "ignored": serializers.IntegerField(),
        "rejected": serializers.IntegerField(),
        "conflicts": serializers.ListField(child=serializers.DictField()),
    },
)
_INPUT = inline_serializer(
    "SecurityEventBatch",
    {"events": serializers.ListField(child=serializers.JSONField(), min_length=1, max_length=API_MAX_ITEMS)},
)
_WAZUH = {
    "timestamp": "2026-01-05T08:00:00.000+0700",
    "rule": {"level": 10, "id": "5712", "description": "sshd: brute force"},
    "agent": {"name": "web01"},
}


def _items(data: Any) -> list[Any]:
    items = data.get("events") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ValidationError({"events": [_("Cần danh sách sự kiện không rỗng / A non-empty list of events")]})
    if len(items) > API_MAX_ITEMS:
        raise ValidationError({"events": [_("Tối đa %(n)d sự kiện / At most %(n)d events") % {"n": API_MAX_ITEMS}]})
    refuse_json_nul(items, field="events")  # PostgreSQL stores no NUL: a 400 naming the place, not a 500
    return items


class EventIngestView(APIView):
    parser_classes = [SafeJSONParser]  # JSON only: the documented body (a form cannot carry the list)

    @extend_schema(
        tags=TAGS,
        operation_id="cybersecurity_events_ingest",
        summary="Gửi sự kiện an toàn thông tin / Push security events",
        description=(
            'R5.6: `{"events": [...]}`, mỗi phần tử là cảnh báo Wazuh (JSON), bản ghi Suricata EVE (event_type '
            "alert) hoặc một dòng CEF/syslog (chuỗi); trùng lặp được bỏ qua. / Each item a Wazuh alert, a Suricata "
            "EVE alert record or a CEF/syslog line (string); duplicates are ignored. Refusals name row, field and "
            "reason in `conflicts`."
        ),
        request=_INPUT,
        examples=[OpenApiExample("Wazuh", value={"events": [_WAZUH]}, request_only=True)],
        responses={200: _SUMMARY},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        items = _items(request.data)
        agency = agency_of_user(user=request.user)
        summary = api_ingest(
            items=items,
            source=request.user.username[:100],
            agency_id=agency.pk if agency else None,
            actor=request.user,
        )
        return Response(summary, status=status.HTTP_200_OK)
