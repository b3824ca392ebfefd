"""The configuration pages of the indicators (R2.2, R2.3, R2.6) under /chi-so/cau-hinh/: the roles the act gives
each setting (the catalogue and targets: leaders and the administrator; cancelling a data call and the recurring
call rules: who may ask)."""

from django.urls import URLPattern, URLResolver

from ioc.common.access import roles, route
from ioc.indicators.services._base import CALL_ROLES, CATALOG_ROLES
from ioc.indicators.views import config as views

_CATALOG = roles(*CATALOG_ROLES)
_CALLS = roles(*CALL_ROLES)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=_CATALOG, name="config_index"),
    route("them/", views.indicator_add, policy=_CATALOG, name="config_add"),
    route("thoi-ap-dung/", views.indicator_retire, policy=_CATALOG, name="config_retire"),
    route("chi-tieu/", views.targets, policy=_CATALOG, name="config_targets"),
    route("yeu-cau/", views.calls, policy=_CALLS, name="config_calls"),
    route("yeu-cau/<int:pk>/huy/", views.call_cancel, policy=_CALLS, name="config_call_cancel"),
    route("dinh-ky/", views.call_rules, policy=_CALLS, name="config_rules"),
    route("dinh-ky/<int:pk>/<slug:action>/", views.call_rule_action, policy=_CALLS, name="config_rule_action"),
    route("<slug:code>/sua/", views.indicator_change, policy=_CATALOG, name="config_change"),
    route("<slug:code>/dong-bo/", views.indicator_sync, policy=_CATALOG, name="config_sync"),
]
