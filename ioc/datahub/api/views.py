"""The data hub's API under /api/v1/datahub/ (R1.2a): an agency system pushes rows — JSON, CSV or .xlsx — to a
dataset; the view checks the token's `datahub.push:<code>` scope itself (`datahub.push:*`: every dataset the
token's agency owns) and calls the one ingest service. Thin: read the body, check the scope, call, answer.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.agencies import selectors as agency_selectors
from ioc.common.authed import AuthedApiRequest
from ioc.common.errors import error_body
from ioc.common.plaintext import refuse_json_nul
from ioc.datahub import selectors, services
from ioc.datahub.api.serializers import (
    JobSerializer,
    PushBodySerializer,
    PushResultSerializer,
    SubmissionSerializer,
)
from ioc.datahub.choices import Channel, SubmissionStatus
from ioc.datahub.models import Dataset
from ioc.datahub.reading import XLSX_MAGIC

TAGS = ["datahub"]
CSV_TYPES = ("text/csv", "application/csv", "text/plain")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS_SHOWN = 1000


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "Dữ liệu gửi quá lớn / Payload too large"


def _read_body(request: AuthedApiRequest) -> bytes:
    """The raw body, refused with 413 past the limit (before reading it when Content-Length says so)."""
    limit = services.max_upload_bytes()
    message = _("Dữ liệu gửi quá lớn (tối đa %(mb)d MB) / Payload too large") % {"mb": limit // 2**20}
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLarge(message)
    body = request._request.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(message)
    return body


def _payload(request: AuthedApiRequest, body: bytes) -> dict[str, Any]:
    """Keyword arguments of the ingest service from the body's content type."""
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    period = request.query_params.get("period", "")
    if content_type == "application/json":
        try:
            parsed = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: deep nesting
            raise exceptions.ValidationError({"body": [_("JSON không hợp lệ / Malformed JSON")]}) from exc
        # PostgreSQL stores no NUL (a 500 otherwise): in "period", another key, or a row's key, a 400 naming the
        # place; in a row's value, the ingest cleans it as it cleans every cell.
        if isinstance(parsed, dict):
            refuse_json_nul({key: value for key, value in parsed.items() if key != "rows"})
        rows = parsed.get("rows") if isinstance(parsed, dict) else parsed
        if isinstance(rows, list):
            refuse_json_nul([dict.fromkeys(row) if isinstance(row, dict) else None for row in rows], field="rows")
        serializer = PushBodySerializer(data=parsed if isinstance(parsed, dict) else {"rows": parsed})
        if not isinstance(parsed, dict | list) or not serializer.is_valid():
            raise exceptions.ValidationError({"rows": [_("Cần “rows”: danh sách các dòng (đối tượng JSON)")]})
        return {"rows": serializer.validated_data["rows"], "period": serializer.validated_data.get("period", period)}
    if content_type == XLSX_TYPE or body.startswith(XLSX_MAGIC):
        return {"content": body, "file_name": "push.xlsx", "period": period}
    if content_type in CSV_TYPES:
        return {"content": body, "file_name": "push.csv", "period": period}
    raise exceptions.UnsupportedMediaType(content_type)


def _dataset_for(request: AuthedApiRequest, code: str) -> tuple[Dataset, Any]:
    dataset = selectors.dataset_for_push(code=code)
    if dataset is None:
        raise exceptions.NotFound()
    system = agency_selectors.information_system_of(user_id=request.user.pk)
    scopes = list(getattr(request.auth, "scopes", None) or [])
    agency_id = system.agency_id if system is not None else None
    if system is None or not selectors.push_allowed(scopes=scopes, dataset=dataset, agency_id=agency_id):
        raise exceptions.PermissionDenied(
            _("Mã truy cập không có phạm vi datahub.push cho bộ dữ liệu này / Token lacks the dataset's push scope")
        )
    return dataset, system.agency


def _result(request: AuthedApiRequest, result: services.IngestResult, dry_run: bool) -> dict[str, Any]:
    submission = result.submission
    link = None
    if submission is not None:
        link = {"id": submission.pk, "url": reverse("datahub_api:submission", kwargs={"pk": submission.pk})}
    return {"dry_run": dry_run, **result.summary, "quality": result.quality, "submission": link}


class SubmissionPushView(APIView):
    """R1.2a: push rows to a dataset; `?dry_run=1` checks without storing."""

    parser_classes: list[Any] = []  # the body is read raw (JSON, CSV or .xlsx)

    @extend_schema(
        operation_id="datahub_submission_push",
        summary="Gửi dữ liệu vào bộ dữ liệu / Push rows to a dataset",
        description=(
            'JSON `{"rows": [...], "period": "202507"}`, or a CSV (`text/csv`) or .xlsx body with `?period=`. '
            "Phạm vi / scope: `datahub.push:<code>` (gửi với tư cách cơ quan của hệ thống) hoặc `datahub.push:*` "
            "(mọi bộ dữ liệu do cơ quan của hệ thống quản lý). Lỗi: cả lần gửi bị từ chối (422) trừ khi bộ dữ liệu "
            "nhận các dòng hợp lệ; lần gửi bị từ chối vẫn được lưu để kiểm tra."
        ),
        parameters=[
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, OpenApiParameter.QUERY, description="Chỉ kiểm tra / Check only"
            ),
            OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Kỳ DHIS2 / DHIS2 period"),
        ],
        request={
            "application/json": PushBodySerializer,
            "text/csv": OpenApiTypes.BINARY,
            XLSX_TYPE: OpenApiTypes.BINARY,
        },
        responses={
            200: OpenApiResponse(PushResultSerializer, description="Kiểm tra thử / Dry run"),
            201: OpenApiResponse(PushResultSerializer, description="Đã nhận / Stored"),
            202: OpenApiResponse(
                JobSerializer, description="Hơn 5.000 dòng: xử lý nền, theo dõi tại `url` / Over 5,000 rows: queued"
            ),
            413: OpenApiResponse(description="Quá lớn / Too large"),
            415: OpenApiResponse(description="Định dạng không hỗ trợ / Unsupported media type"),
            422: OpenApiResponse(description="Bị từ chối: báo cáo lỗi theo dòng, trường / Rejected, with the report"),
        },
        tags=TAGS,
    )
    def post(self, request: AuthedApiRequest, code: str) -> Response:
        dataset, agency = _dataset_for(request, code)
        payload = _payload(request, _read_body(request))
        dry_run = request.query_params.get("dry_run", "") in ("1", "true", "yes")
        large = services.is_large(
            rows=payload.get("rows"), content=payload.get("content"), file_name=payload.get("file_name", "")
        )
        if not dry_run and large:
            job = services.ingest_job_create(
                actor=request.user, dataset=dataset, agency=agency, channel=Channel.PUSH, **payload
            )
            return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        result = services.submission_ingest(
            actor=request.user, dataset=dataset, agency=agency, channel=Channel.PUSH, dry_run=dry_run, **payload
        )
        body = _result(request, result, dry_run)
        if result.status != SubmissionStatus.REJECTED:
            return Response(body, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)
        fields: dict[str, list[str]] = {}
        for conflict in result.summary["conflicts"][:FIELDS_SHOWN]:
            fields.setdefault(f"{conflict['row']}.{conflict['field']}", []).append(conflict["reason"])
        rejected = error_body(request, "rejected", _("Lần gửi bị từ chối / Submission rejected"), fields)
        return Response({**rejected, "summary": body}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


class SubmissionDetailView(APIView):
    """R1.5: one submission the caller may see: counts, error report, quality."""

    @extend_schema(
        operation_id="datahub_submission_detail",
        summary="Một lần gửi dữ liệu / One submission",
        responses={200: SubmissionSerializer},
        tags=TAGS,
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        submission = selectors.submission_get(user=request.user, pk=pk)
        if submission is None:
            raise exceptions.NotFound()
        return Response(SubmissionSerializer(submission).data)


class JobDetailView(APIView):
    """R1.2: a large import's progress (queued, running, done with its submission, failed with the reason)."""

    @extend_schema(
        operation_id="datahub_job_detail",
        summary="Tiến độ nhập dữ liệu lớn / A large import's progress",
        responses={200: JobSerializer},
        tags=TAGS,
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        job = selectors.ingest_job_get(user=request.user, pk=pk)
        if job is None:
            raise exceptions.NotFound()
        return Response(JobSerializer(job).data)
