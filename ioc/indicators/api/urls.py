"""API of the indicators under /api/v1/indicators/ (R2.3)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import Role
from ioc.common.access import roles, route
from ioc.indicators.api import views

app_name = "indicators_api"

# Rows are checked per indicator by the service: an agency reports its own, the territory's roles any.
REPORTERS = roles(
    Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER,
    token_scopes=["indicators.values"],
)  # fmt: skip

urlpatterns: list[URLPattern | URLResolver] = [
    route("dataValueSets/", views.DataValueSetsView.as_view(), policy=REPORTERS, name="data_value_sets"),
]
