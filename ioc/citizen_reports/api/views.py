"""The citizen-reports API under /api/v1/citizen-reports/ (R3.5). Thin: validate, call the selector."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ioc.citizen_reports.api.serializers import StatisticsSerializer
from ioc.citizen_reports.forms.staff import StatisticsFilterForm
from ioc.citizen_reports.statistics import GROUP_BY_CHOICES, Statistics, citizen_reports_statistics

STATISTICS_PARAMETERS = [
    OpenApiParameter(
        "start",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Từ ngày (giờ Việt Nam); mặc định 01/01 năm nay / From day (default: 1 January this year)",
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Đến ngày, tính cả ngày đó; mặc định hôm nay / To day, inclusive (default: today)",
    ),
    OpenApiParameter(
        "group_by",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=list(GROUP_BY_CHOICES),
        description="Nhóm theo; mặc định month / Group by (default: month)",
    ),
]


def statistics_for_request(request: Any, params: Any) -> Statistics:
    """The validated filters → the statistics in the user's scope; bad input → 400 naming the field."""
    form = StatisticsFilterForm(params)
    if not form.is_valid():
        raise exceptions.ValidationError(form.error_fields())
    return citizen_reports_statistics(user=request.user, **form.params())


def statistics_data(stats: Statistics) -> dict[str, Any]:
    return {
        "start": stats.start,
        "end": stats.end,
        "group_by": stats.group_by,
        "rows": [row.as_dict() for row in stats.rows],
        "totals": stats.totals.as_dict(),
    }


class StatisticsApi(APIView):
    """R3.5: received, verified, rejected, handled, on time, overdue, mean handling hours and satisfaction by
    agency, category, commune, channel or period; agency roles see their agency's reports only."""

    @extend_schema(
        operation_id="citizen_reports_statistics",
        summary="Thống kê phản ánh hiện trường / Citizen-report statistics",
        parameters=STATISTICS_PARAMETERS,
        responses={200: StatisticsSerializer},
        tags=["citizen-reports"],
    )
    def get(self, request: Request) -> Response:
        stats = statistics_for_request(request, request.query_params)
        return Response(StatisticsSerializer(statistics_data(stats)).data)
