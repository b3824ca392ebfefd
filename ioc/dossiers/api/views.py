"""The dossiers API under /api/v1/dossiers/ (R5.3): the one-stop shop pushes events (scope `dossiers.events`);
citizens' apps look a dossier up (public, rate-limited). Thin: parse, call one service or selector."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.agencies import selectors as agency_selectors
from ioc.common.authed import AuthedApiRequest
from ioc.common.parsers import SafeJSONParser
from ioc.common.plaintext import refuse_json_nul
from ioc.dossiers import selectors, services
from ioc.dossiers.api.serializers import (
    DossierSummarySerializer,
    EventBatchSerializer,
    LookupInputSerializer,
    LookupSerializer,
)
from ioc.dossiers.lookup import LOOKUP_NOT_FOUND, lookup_rate_check

TAGS = ["dossiers"]


def _rows(data: Any) -> list[Any]:
    refuse_json_nul(data)  # PostgreSQL stores no NUL (the payload is jsonb): a 400 naming the place, not a 500
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "events" in data:
        if not isinstance(data["events"], list):
            raise exceptions.ValidationError({"events": [_("Cần một danh sách sự kiện / Must be a list of events")]})
        return list(data["events"])
    if isinstance(data, dict):
        return [data]
    raise exceptions.ValidationError({"events": [_("Cần một sự kiện hoặc danh sách / An event or a list")]})


class EventReceiveView(APIView):
    parser_classes = [SafeJSONParser]  # JSON only: the documented body (a form cannot carry the list)

    @extend_schema(
        tags=TAGS,
        operation_id="dossiers_events_receive",
        summary="Gửi sự kiện hồ sơ / Push dossier events",
        description=(
            'R5.3: một sự kiện, một danh sách, hoặc {"events": [...]} (tối đa 500) từ hệ thống một cửa của cơ '
            "quan; trùng mã sự kiện được bỏ qua và đếm; mỗi dòng lỗi được nêu (dòng, trường, lý do) và không lưu gì. "
            "/ One event or a batch from the agency's one-stop shop; repeats are ignored and counted; each refused row "
            "is named (row, field, reason) and leaves nothing behind. Only the system's own agency's dossiers."
        ),
        request=EventBatchSerializer,
        responses={200: OpenApiResponse(DossierSummarySerializer, description="Bản tóm tắt nhập / Import summary")},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        system = agency_selectors.information_system_of(user_id=request.user.pk)
        if system is None:
            raise exceptions.PermissionDenied(_("Chỉ hệ thống thông tin của cơ quan / Information systems only"))
        summary = services.dossier_event_receive(agency=system.agency, rows=_rows(request.data), actor=request.user)
        return Response(summary)


class LookupView(APIView):
    authentication_classes: list[Any] = []
    parser_classes = [SafeJSONParser]  # JSON only, as documented (the page /ho-so/tra-cuu/ takes the form)

    @extend_schema(
        tags=TAGS,
        operation_id="dossiers_lookup",
        summary="Tra cứu hồ sơ / Look a dossier up",
        description=(
            "R5.3 (004:6.4): mã hồ sơ và số điện thoại hoặc số định danh đã khai khi nộp. Sai mã hay sai số "
            "đều nhận cùng một câu trả lời 404; giới hạn số lần tra cứu (429). / Code plus the phone or ID number "
            "given at receipt; a wrong code and a wrong number get the same 404; rate-limited (429)."
        ),
        request=LookupInputSerializer,
        responses={
            200: LookupSerializer,
            429: OpenApiResponse(description="Tra cứu quá nhiều lần, thử lại sau / Too many lookups, try later"),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = LookupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lookup_rate_check(request=request, code=serializer.validated_data["code"])
        found = selectors.dossier_lookup(**serializer.validated_data)
        if found is None:
            raise exceptions.NotFound(str(LOOKUP_NOT_FOUND))
        return Response(LookupSerializer(found).data)
