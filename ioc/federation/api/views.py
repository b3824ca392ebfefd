"""The receiving endpoint between centers (R9.1, R9.3): `POST /api/v1/federation/messages/`.

Authenticated by the link's HMAC signature, not by a token or a session: the view reads the raw body, refuses
what is over the size limit (413) before reading it, then checks the signature, the clock skew and the delivery
id (401, 409), the link and every message (422 naming the field), and applies the batch in one transaction.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.errors import error_body
from ioc.federation import services, signing
from ioc.federation.services._base import max_message_bytes
from ioc.federation.signing import Refused


class RawJsonParser(BaseParser):
    """Leaves the body unread: the signature covers its exact bytes."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return None


_HEADERS = [
    OpenApiParameter(name, str, OpenApiParameter.HEADER, required=True, description=text)
    for name, text in (
        (signing.KEY_HEADER, "Mã khóa của liên kết / The link's key id"),
        (signing.TIMESTAMP_HEADER, "Giây Unix, lệch tối đa 5 phút / Unix seconds, ±5 min"),
        (signing.DELIVERY_HEADER, "UUID mới cho mỗi lần gửi / A new UUID per attempt"),
        (signing.SIGNATURE_HEADER, "sha256=<hex HMAC-SHA256>"),
    )
]
_MESSAGE = inline_serializer(
    "FederationMessage",
    {
        "message_id": serializers.UUIDField(),
        "flow": serializers.CharField(),
        "object_key": serializers.CharField(max_length=200),
        "version": serializers.IntegerField(min_value=1),
        "payload": serializers.JSONField(),
    },
)
_BATCH = inline_serializer("FederationBatch", {"messages": _MESSAGE.__class__(many=True)})
_RESULTS = inline_serializer(
    "FederationAck",
    {
        "delivery_id": serializers.UUIDField(),
        "results": inline_serializer(
            "FederationResult", {"message_id": serializers.UUIDField(), "status": serializers.CharField()}, many=True
        ),
    },
)


class MessagesView(APIView):
    authentication_classes: list[type] = []
    parser_classes = [RawJsonParser]

    @extend_schema(
        tags=["federation"],
        operation_id="federation_messages_receive",
        summary="Nhận thư liên thông / Receive messages from another center",
        description=(
            "R9.1, R9.3: một lô thư đã ký HMAC-SHA256 (method, path, timestamp, SHA-256 của thân, delivery id). "
            "Mỗi thư được áp dụng đúng một lần theo message_id; phiên bản cũ đến muộn không ghi đè bản mới. / "
            "A signed batch; each message applied once per message_id, a late earlier version never overwrites a "
            "later one. 401 unsigned, bad signature or stale; 409 replayed delivery id; 413 too large; 422 unknown "
            "link, flow, indicator, unit or agency (named)."
        ),
        parameters=_HEADERS,
        request=_BATCH,
        responses={
            200: OpenApiResponse(_RESULTS, description="Kết quả từng thư / Each message's result"),
            409: OpenApiResponse(description="Lần gửi đã nhận (phát lại) / Delivery id already received (replay)"),
            413: OpenApiResponse(description="Quá lớn / Too large"),
            422: OpenApiResponse(description="Liên kết, luồng, chỉ số, đơn vị hoặc cơ quan không có / Unknown, named"),
        },
    )
    def post(self, request: Request) -> Response:
        try:
            return Response(self._receive(request))
        except Refused as refusal:
            body = error_body(request, refusal.code, refusal.message, refusal.fields)
            return Response(body, status=refusal.status)

    def _receive(self, request: Request) -> dict[str, Any]:
        limit = max_message_bytes()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise Refused(413, "too_large", "Thư quá lớn / Payload too large", {"body": [f"≤ {limit} bytes"]})
        body = request.body
        if len(body) > limit:
            raise Refused(413, "too_large", "Thư quá lớn / Payload too large", {"body": [f"≤ {limit} bytes"]})
        signed = signing.Signed.from_meta(request.META)
        link = services.authenticate(signed, method="POST", path=request.path, body=body)
        messages = services.parse(link, body)
        results = services.batch_receive(link=link, delivery_id=signed.delivery_id, messages=messages)
        return {"delivery_id": signed.delivery_id, "results": results}
