"""Read-only admin of the reference data (R6.1): units, succession and territories change only through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.geo.models import AdminUnit, Succession, Territory


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AdminUnit]):
    list_display = ["code", "full_name", "hierarchy", "level", "path", "valid_from", "valid_to"]
    list_filter = ["hierarchy", "level", "unit_type"]
    search_fields = ["code", "name_folded", "full_name"]
    exclude = ["geometry"]  # boundaries are megabytes of text; the API serves them as GeoJSON
    list_select_related = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("geometry")


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Succession]):
    list_display = ["old", "new", "kind"]
    list_filter = ["kind"]
    search_fields = ["old__code", "new__code", "old__name_folded", "new__name_folded"]
    list_select_related = ["old", "new"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("old__geometry", "new__geometry")


@admin.register(Territory)
class TerritoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Territory]):
    list_display = ["profile", "name", "root", "act_date"]
    raw_id_fields = ["root"]
    filter_horizontal = ["communes"]
