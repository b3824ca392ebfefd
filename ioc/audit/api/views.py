"""The audit API under /api/v1/audit/ (R7.3). Thin: validate the filters, call the selector."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from ioc.audit import selectors
from ioc.audit.api.serializers import AuditEntrySerializer
from ioc.audit.forms import AuditFilterForm
from ioc.audit.models import AuditEntry

_TEXT = {
    "actor": "Người thực hiện (tên đăng nhập, chứa chuỗi; hoặc mã số) / Actor (username contains, or id)",
    "action": "Hành động, khớp phần đầu (account. → mọi hành động tài khoản) / Action prefix",
    "object_type": "Loại đối tượng, ví dụ accounts.user / Object type (app_label.model)",
    "object_id": "Mã đối tượng / Object id",
    "request_id": "Mã yêu cầu (X-Request-ID) / Request id",
}
FILTER_PARAMETERS = [
    *(
        OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=text)
        for name, text in _TEXT.items()
    ),
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="Từ ngày (giờ Việt Nam) / From day"
    ),
    OpenApiParameter(
        "date_to",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Đến ngày, tính cả ngày đó / To day, inclusive",
    ),
]


class AuditEntryListApi(generics.ListAPIView[AuditEntry]):
    """R7.3: entries newest first with the page's filters, 50 per page."""

    serializer_class = AuditEntrySerializer
    filter_backends: list[type] = []

    @extend_schema(
        operation_id="audit_entries_list",
        summary="Nhật ký hệ thống / Audit entries",
        parameters=FILTER_PARAMETERS,
        tags=["audit"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditEntry]:
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.error_fields())
        return selectors.audit_entry_list(user=self.request.user, filters=form.filters())
