"""The agency-work API under /api/v1/assignments/ (R3.3): the user's work, one piece, the agency's actions.

Thin: parse, call one selector or service; errors come out in the shared body (ioc.common.errors).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.assignments import selectors, services
from ioc.assignments.api.serializers import (
    AssignmentDetailSerializer,
    AssignmentSerializer,
    ProgressInputSerializer,
    ResolveInputSerializer,
    ReturnInputSerializer,
)
from ioc.assignments.choices import AssignmentStatus, DeadlineState
from ioc.assignments.models import Assignment
from ioc.assignments.validation import clean_uploads
from ioc.common.authed import AuthedApiRequest

TAGS = ["assignments"]
STATUS_VALUES = [selectors.OPEN, *AssignmentStatus.values]


@extend_schema(
    tags=TAGS,
    summary="Việc được chuyển xử lý / Agency work",
    description="Việc người dùng được xem, quá hạn trước / The work the user may see, overdue first.",
    parameters=[
        OpenApiParameter(
            "status", str, enum=STATUS_VALUES, description="open = đang ở cơ quan / still with the agency"
        ),
        OpenApiParameter(
            "deadline", str, enum=DeadlineState.values, description="Tình trạng thời hạn / Deadline state"
        ),
    ],
)
class AssignmentListView(generics.ListAPIView[Assignment]):
    serializer_class = AssignmentSerializer
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Assignment]:
        params = self.request.query_params
        status, deadline = params.get("status", ""), params.get("deadline", "")
        errors: dict[str, list[str]] = {}
        if status and status not in STATUS_VALUES:
            errors["status"] = ["Trạng thái không hợp lệ / Unknown status"]
        if deadline and deadline not in DeadlineState.values:
            errors["deadline"] = ["Tình trạng thời hạn không hợp lệ / Unknown deadline state"]
        if errors:
            raise ValidationError(errors)
        return selectors.assignment_inbox(
            user=self.request.user, status=status or None, deadline=deadline or None, now=timezone.now()
        )


def _detail(request: Request, pk: int) -> Response:
    assignment = selectors.assignment_get_for(user=request.user, pk=pk)
    return Response(AssignmentDetailSerializer(assignment).data)


class AssignmentDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="assignments_retrieve",
        summary="Một việc, diễn biến và minh chứng / One piece of work",
        responses={200: AssignmentDetailSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, pk)


def _validated(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class AcceptView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="assignments_accept",
        summary="Tiếp nhận / Accept",
        request=None,
        responses={200: AssignmentDetailSerializer},
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = selectors.assignment_get_for(user=request.user, pk=pk)
        services.assignment_accept(assignment=assignment, actor=request.user)
        return _detail(request, pk)


class ReturnView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="assignments_return",
        summary="Trả lại, có lý do / Return with a reason",
        request=ReturnInputSerializer,
        responses={200: AssignmentDetailSerializer},
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = selectors.assignment_get_for(user=request.user, pk=pk)
        data = _validated(ReturnInputSerializer, request)
        services.assignment_return(assignment=assignment, actor=request.user, reason=data["reason"])
        return _detail(request, pk)


class ProgressView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="assignments_progress",
        summary="Cập nhật tiến độ / Progress note",
        request=ProgressInputSerializer,
        responses={200: AssignmentDetailSerializer},
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = selectors.assignment_get_for(user=request.user, pk=pk)
        data = _validated(ProgressInputSerializer, request)
        services.assignment_progress(
            assignment=assignment,
            actor=request.user,
            text=data["text"],
            is_public=data["is_public"],
        )
        return _detail(request, pk)


class ResolveView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="assignments_resolve",
        summary="Báo cáo kết quả, kèm ảnh minh chứng / Resolve with evidence",
        request={"multipart/form-data": ResolveInputSerializer},
        responses={200: AssignmentDetailSerializer},
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = selectors.assignment_get_for(user=request.user, pk=pk)
        data = _validated(ResolveInputSerializer, request)
        try:
            images = clean_uploads(list(data.get("evidence") or []))
        except DjangoValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        services.assignment_resolve(
            assignment=assignment,
            actor=request.user,
            resolution=data["resolution"],
            evidence=images,
        )
        return _detail(request, pk)
