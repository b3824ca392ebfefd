"""Read-only admin of the indicators (R2.1–R2.6): every change goes through `ioc.indicators.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.indicators.models import CallRule, CatalogVersion, DataCall, Indicator, IndicatorWarning, Target


@admin.register(CatalogVersion)
class CatalogVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CatalogVersion]):
    list_display = ("number", "decision_no", "decision_date", "signer")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Indicator]):
    list_display = ("code", "name", "sector", "period_type", "source", "is_active")
    list_filter = ("sector", "source", "is_active")
    search_fields = ("code", "name")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Target]):
    list_display = ("indicator", "unit", "period", "value")


@admin.register(IndicatorWarning)
class IndicatorWarningAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[IndicatorWarning]):
    list_display = ("indicator", "unit", "period", "kind", "value", "target", "created_at")


@admin.register(DataCall)
class DataCallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[DataCall]):
    list_display = ("indicator", "agency", "period", "kind", "status", "deadline_at")


@admin.register(CallRule)
class CallRuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CallRule]):
    list_display = ("indicator", "agency", "period_type", "status", "next_period", "next_open_at")
