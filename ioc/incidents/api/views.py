"""The incidents API under /api/v1/incidents/ (R4.1): sources raise and resolve alerts with a token holding the
scope `incidents.alerts`. Thin: validate, call one service; errors come out in the shared body."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.common.parsers import SafeJSONParser
from ioc.incidents import services
from ioc.incidents.api.batch import BATCH_MAX, alerts_batch
from ioc.incidents.api.serializers import (
    AlertBatchAnswerSerializer,
    AlertInputSerializer,
    AlertResolveSerializer,
    AlertSerializer,
)

TAGS = ["incidents"]


class AlertRaiseView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="incidents_alerts_raise",
        summary="Gửi cảnh báo / Raise an alert",
        description=(
            "R4.1: một cảnh báo vào hộp cảnh báo chung; gửi lại cùng (source, dedup_key) khi cảnh báo còn mở chỉ "
            "cập nhật nó (200), không tạo trùng. / One alert into the inbox; a repeat of an open (source, "
            "dedup_key) updates it (200), never duplicates. Unknown kind or severity: 400 naming the field. "
            f"Một danh sách (tối đa {BATCH_MAX}) gửi nhiều cảnh báo một lần: cảnh báo hợp lệ được lưu, cảnh báo lỗi bị "
            "từ chối và được nêu tên (dòng = vị trí trong danh sách, từ 0); trả lời 200 kèm tóm tắt và kết quả "
            "từng cảnh báo, 422 khi mọi cảnh báo bị từ chối. "
            f"/ A JSON list (at most {BATCH_MAX}) raises a batch in one transaction: the valid alerts are stored, "
            "a bad one is refused and named (row = index in the list, "
            "from 0); 200 with the import summary and one result per item, 422 when every item is refused."
        ),
        request=PolymorphicProxySerializer(
            component_name="AlertRaiseRequest",
            serializers=[AlertInputSerializer, AlertInputSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: OpenApiResponse(AlertSerializer, description="Cảnh báo mới / A new alert"),
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="AlertRaiseAnswer",
                    serializers=[AlertSerializer, AlertBatchAnswerSerializer],
                    resource_type_field_name=None,
                ),
                description="Cảnh báo đang mở được cập nhật; hoặc kết quả một danh sách / Updated; or a batch's answer",
            ),
            422: OpenApiResponse(description="Mọi cảnh báo của danh sách bị từ chối / Every alert of the list refused"),
        },
    )
    def post(self, request: AuthedApiRequest) -> Response:
        if isinstance(request.data, list):
            return alerts_batch(request, request.data)
        serializer = AlertInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.alert_receive(**serializer.service_kwargs(), actor=request.user)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(AlertSerializer(result.alert).data, status=code)


class AlertResolveView(APIView):
    parser_classes = [SafeJSONParser]  # JSON only, as documented (a form body was an undocumented 400)

    @extend_schema(
        tags=TAGS,
        operation_id="incidents_alerts_resolve",
        summary="Báo hết cảnh báo / Resolve an alert",
        description="R4.1: nguồn báo tình trạng đã hết / The source says the condition is over (404: none open).",
        request=AlertResolveSerializer,
        responses={200: AlertSerializer},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        serializer = AlertResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_resolve(**serializer.validated_data, actor=request.user)
        if alert is None:
            raise NotFound("Không có cảnh báo đang mở với khóa này / No open alert with this key")
        return Response(AlertSerializer(alert).data)
