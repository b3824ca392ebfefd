"""The incidents API under /api/v1/incidents/ (R4.1): sources raise and resolve alerts with a token holding the
scope `incidents.alerts`. Thin: validate, call one service; errors come out in the shared body."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.incidents import services
from ioc.incidents.api.serializers import AlertInputSerializer, AlertResolveSerializer, AlertSerializer

TAGS = ["incidents"]


class AlertRaiseView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="incidents_alerts_raise",
        summary="Gửi cảnh báo / Raise an alert",
        description=(
            "R4.1: một cảnh báo vào hộp cảnh báo chung; gửi lại cùng (source, dedup_key) khi cảnh báo còn mở chỉ "
            "cập nhật nó (200), không tạo trùng. / One alert into the inbox; a repeat of an open (source, "
            "dedup_key) updates it (200), never duplicates. Unknown kind or severity: 400 naming the field."
        ),
        request=AlertInputSerializer,
        responses={
            201: OpenApiResponse(AlertSerializer, description="Cảnh báo mới / A new alert"),
            200: OpenApiResponse(AlertSerializer, description="Cảnh báo đang mở được cập nhật / Updated"),
        },
    )
    def post(self, request: AuthedApiRequest) -> Response:
        serializer = AlertInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.alert_receive(**serializer.service_kwargs(), actor=request.user)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(AlertSerializer(result.alert).data, status=code)


class AlertResolveView(APIView):
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
