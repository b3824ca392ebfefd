"""GET /api/v1/agencies/ (R1.1): the catalog of agencies for any authenticated account."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from ioc.agencies import selectors
from ioc.agencies.api.serializers import AgencySerializer
from ioc.agencies.choices import ActRole
from ioc.agencies.models import Agency


@extend_schema(
    tags=["agencies"],
    summary="Danh mục cơ quan, đơn vị / Agencies",
    parameters=[
        OpenApiParameter("q", str, description="Tìm theo tên, không phân biệt dấu / Search, diacritics-insensitive"),
        OpenApiParameter("role", str, enum=ActRole.values, description="Vai trò theo quy chế / Role in the act"),
    ],
)
class AgencyListView(generics.ListAPIView[Agency]):
    serializer_class = AgencySerializer
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Agency]:
        params = self.request.query_params
        role = params.get("role", "")
        if role and role not in ActRole.values:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"role": ["Vai trò không hợp lệ / Unknown role"]})
        return selectors.agency_list(search=params.get("q", "").strip(), role=role)
