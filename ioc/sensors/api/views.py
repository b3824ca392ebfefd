"""The sensors API under /api/v1/sensors/ (R4.1, R5.2): alert rules and silences for the IOC, camera events
for analytics engines holding `cameras.events`. Thin: parse, call one service; errors in the shared body."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.sensors import selectors, services
from ioc.sensors.api.serializers import (
    CameraEventInputSerializer,
    CameraEventSerializer,
    RuleInputSerializer,
    RuleSerializer,
    SilenceInputSerializer,
    SilenceSerializer,
)

TAGS = ["sensors"]


class RuleCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="sensors_rules_create",
        summary="Tạo quy tắc cảnh báo / Create an alert rule",
        description=(
            "R4.1: quy tắc trên một đại lượng, điều kiện báo và điều kiện hết (trễ), thời gian kéo dài, số lần "
            "liên tiếp, mất số liệu. / A rule with hysteresis, for-duration, repeat count and no-data. Unknown "
            "property, clear condition never reachable: 400 naming the field."
        ),
        request=RuleInputSerializer,
        responses={201: RuleSerializer},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        serializer = RuleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        streams = selectors.datastreams_by_ids(ids=data.pop("datastreams"))
        rule = services.rule_create(actor=request.user, datastreams=streams, **data)
        return Response(RuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class SilenceCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="sensors_silences_create",
        summary="Tắt tiếng cảnh báo / Create a silence or maintenance window",
        request=SilenceInputSerializer,
        responses={201: SilenceSerializer},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        serializer = SilenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        silence = services.silence_create(actor=request.user, **serializer.validated_data)
        return Response(SilenceSerializer(silence).data, status=status.HTTP_201_CREATED)


class CameraEventView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="sensors_camera_events",
        summary="Gửi sự kiện camera / Send a camera analytics event",
        description=(
            "R5.2: sự kiện của camera thuộc cơ quan của token; lặp lại trong thời gian chờ được gộp; vượt ngưỡng "
            "tin cậy thì báo cảnh báo camera.<loại>. / Events of the token agency's cameras; repeats within the "
            "cooldown merge; above the type's confidence threshold they raise camera.<type>. Another agency's "
            "camera: 403; future time, non-http(s) snapshot: 400. `heartbeat` only refreshes the last signal (204)."
        ),
        request=CameraEventInputSerializer,
        responses={
            201: CameraEventSerializer,
            204: OpenApiResponse(description="Đã nhận tín hiệu / Heartbeat received"),
        },
    )
    def post(self, request: AuthedApiRequest) -> Response:
        serializer = CameraEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = services.camera_event_receive(
            actor=request.user,
            camera_code=data["camera"],
            event_type=data["type"],
            at=data["time"],
            confidence=data["confidence"],
            snapshot_url=data["snapshot_url"],
        )
        if event is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(CameraEventSerializer(event).data, status=status.HTTP_201_CREATED)
