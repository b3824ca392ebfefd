"""The read API of shared datasets under /api/v1/sharing/ (R1.6): a consumer agency (its information system's
token with `sharing.read`, or an officer's session) reads the current rows its grant allows — JSON or CSV,
filtered and sorted on indexed fields, keyset-paged. Every page read is audited. Thin: parse, select, audit, answer.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.common.authed import AuthedApiRequest
from ioc.common.errors import error_body
from ioc.common.spreadsheet import export_cell
from ioc.sharing import selectors, services
from ioc.sharing.api.serializers import RecordPageSerializer
from ioc.sharing.choices import PAGE_SIZE, PAGE_SIZE_MAX
from ioc.sharing.models import Grant

TAGS = ["sharing"]
RESERVED = {"cursor", "sort", "limit", "format"}


class CSVRenderer(BaseRenderer):
    """Declares `?format=csv` / `Accept: text/csv`; the view writes the CSV itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return b"" if data is None else str(data).encode()


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    return export_cell(value)


def _limit(request: AuthedApiRequest) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= PAGE_SIZE_MAX:
        raise exceptions.ValidationError({"limit": [_("Từ 1 đến %(n)d.") % {"n": PAGE_SIZE_MAX}]})
    return int(raw)


def _refused(
    request: AuthedApiRequest, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> Response:
    return Response(error_body(request, code, message, fields), status=403)


def _next_url(request: AuthedApiRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.query_params.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def _csv(page: selectors.Page, next_url: str | None) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["_id", "_period", "_unit", "_commune", *page.fields]
    writer.writerow(columns)
    for row in page.rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def _json(code: str, page: selectors.Page, next_url: str | None) -> HttpResponse:
    """The page as DRF's JSONRenderer would write it (compact, UTF-8), with the rows' JSON text spliced in as the
    selector made it: a thousand rows are not decoded and encoded again."""
    head = json.dumps(
        {"dataset": code, "columns": page.fields, "next": next_url}, ensure_ascii=False, separators=(",", ":")
    )
    body = head[:-1] + ',"results":' + page.results_json() + "}"
    return HttpResponse(body.encode(), content_type="application/json")


class RecordListView(APIView):
    """R1.6: the current rows of a shared dataset the caller's agency holds a live grant for."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Errors keep the shared JSON body even when CSV was asked for."""
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="sharing_records_list",
        summary="Dữ liệu được chia sẻ / Rows of a shared dataset",
        description=(
            "Chỉ các trường, xã/phường trong quyền được cấp còn hiệu lực; mỗi trang đọc được ghi nhật ký. "
            "Lọc: `<trường>=giá trị` hoặc `<trường>__gt|gte|lt|lte=giá trị` trên trường `ioc:filterable` và "
            "`period`, `commune`, `unit`; sắp xếp `sort=<trường>` hoặc `-<trường>`; phân trang bằng `cursor` "
            "(liên kết `next`). Phạm vi / scope: `sharing.read` (hệ thống của cơ quan được cấp quyền) hoặc "
            "phiên đăng nhập của cán bộ cơ quan đó. CSV: `?format=csv` (ô bắt đầu như công thức được thoát)."
        ),
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Con trỏ trang / Cursor"),
            OpenApiParameter(
                "sort", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Trường sắp xếp / Sort field (-: desc)"
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description=f"1–{PAGE_SIZE_MAX}, mặc định {PAGE_SIZE}",
            ),
        ],
        responses={
            200: OpenApiResponse(RecordPageSerializer, description="Một trang / One page"),
            400: OpenApiResponse(description="Bộ lọc, thứ tự hoặc con trỏ không hợp lệ / Bad filter, sort or cursor"),
            403: OpenApiResponse(description="Ngoài quyền được cấp, hết hạn, bị thu hồi / Outside the grant"),
        },
        tags=TAGS,
    )
    def get(self, request: AuthedApiRequest, code: str) -> Response | HttpResponse:
        dataset = selectors.dataset_for_reading(code=code)
        if dataset is None:
            raise exceptions.NotFound()
        found = selectors.grant_for_read(user=request.user, dataset=dataset)
        if isinstance(found, selectors.GrantRefusal):
            return _refused(request, found.code, found.message)
        return self._page(request, dataset, found)

    def _page(self, request: AuthedApiRequest, dataset: Any, grant: Grant) -> Response | HttpResponse:
        filters = {k: str(v) for k, v in request.query_params.items() if k not in RESERVED}
        sort, cursor = request.query_params.get("sort", ""), request.query_params.get("cursor", "")
        try:
            page = selectors.shared_page(
                dataset=dataset, grant=grant, filters=filters, sort=sort, cursor=cursor, limit=_limit(request)
            )
        except selectors.QueryError as exc:
            if exc.status == 403:
                return _refused(request, "outside_grant", exc.message, {exc.field: [exc.message]})
            raise exceptions.ValidationError({exc.field: [exc.message]}) from None
        fmt = request.accepted_renderer.format
        services.shared_read_record(
            actor=request.user,
            grant=grant,
            ids=page.ids,
            query={"filters": filters, "sort": sort, "cursor": cursor, "format": fmt},
        )
        next_url = _next_url(request, page.next_cursor)
        if fmt == "csv":
            return _csv(page, next_url)
        return _json(dataset.code, page, next_url)
