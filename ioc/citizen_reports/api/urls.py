"""API of citizen reports under /api/v1/citizen-reports/ (statistics, operators' reads)."""

from django.urls import URLPattern, URLResolver

from ioc.citizen_reports.api.policies import STATISTICS_POLICY
from ioc.citizen_reports.api.views import StatisticsApi
from ioc.common.access import route

app_name = "citizen_reports_api"
urlpatterns: list[URLPattern | URLResolver] = [
    route("statistics/", StatisticsApi.as_view(), policy=STATISTICS_POLICY, name="statistics"),
]
