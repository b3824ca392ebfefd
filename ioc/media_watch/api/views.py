"""The watch's push API (R5.7): an information system posts items of one configured export or platform source with
a token holding `media_watch.items`; the answer is the shared import summary naming row, field and reason of each
refusal. Thin: parse, call `items_push`, answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.common.parsers import SafeJSONParser
from ioc.media_watch.choices import MAX_ITEMS_PER_RUN
from ioc.media_watch.services.push import items_push

TAGS = ["media-watch"]
_SUMMARY = inline_serializer(
    "MediaItemImportSummary",
    {
        "status": serializers.ChoiceField(choices=["accepted", "partial", "rejected"]),
        "imported": serializers.IntegerField(),
        "ignored": serializers.IntegerField(),
        "rejected": serializers.IntegerField(),
        "conflicts": serializers.ListField(child=serializers.DictField()),
    },
)
_ITEM = inline_serializer(
    "MediaItemPushed",
    {
        "title": serializers.CharField(max_length=500, required=False),
        "body": serializers.CharField(max_length=20000, required=False),
        "url": serializers.CharField(max_length=1000, required=False),
        "guid": serializers.CharField(max_length=500, required=False),
        "author": serializers.CharField(max_length=200, required=False),
        "published_at": serializers.DateTimeField(required=False),
    },
)
_INPUT = inline_serializer(
    "MediaItemBatch",
    {
        "source": serializers.CharField(max_length=200),
        "items": serializers.ListField(child=_ITEM, min_length=1, max_length=MAX_ITEMS_PER_RUN),
    },
)
_EXAMPLE = {
    "source": "Trang mạng xã hội của tỉnh",
    "items": [
        {
            "title": "Người dân phản ánh đường ngập sau mưa",
            "body": "Đoạn đường trước chợ ngập sâu nửa mét.",
            "url": "https://social.example.invalid/p/1",
            "published_at": "2026-01-05T08:00:00+07:00",
            "author": "Một người dân",
        }
    ],
}


def _batch(data: Any) -> tuple[str, list[Any]]:
    if not isinstance(data, dict):
        raise ValidationError({"items": [_("Cần một đối tượng JSON {source, items} / A JSON object {source, items}")]})
    source, items = data.get("source"), data.get("items")
    if not isinstance(source, str) or not source.strip():
        raise ValidationError({"source": [_("Cần tên nguồn / The source's name is needed")]})
    if not isinstance(items, list) or not items:
        raise ValidationError({"items": [_("Cần danh sách tin không rỗng / A non-empty list of items")]})
    return source.strip(), items


class ItemPushView(APIView):
    parser_classes = [SafeJSONParser]  # JSON only: the documented body

    @extend_schema(
        tags=TAGS,
        operation_id="media_watch_items_push",
        summary="Gửi tin thu thập trên mạng / Push collected online items",
        description=(
            "R5.7: tin của một nguồn “tệp xuất” hay “mạng xã hội” đã cấu hình; tin đã biết (cùng liên kết, gần trùng) "
            "được gộp và đếm (`ignored`). / Items of a configured export or platform source; known items are merged "
            "and counted (`ignored`). Refusals name row, field and reason in `conflicts`."
        ),
        request=_INPUT,
        examples=[OpenApiExample("Một tin", value=_EXAMPLE, request_only=True)],
        responses={200: _SUMMARY},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        source, items = _batch(request.data)
        summary = items_push(actor=request.user, source_name=source, rows=items)
        return Response(summary, status=status.HTTP_200_OK)
