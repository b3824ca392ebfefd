"""Read-only admin of reports (DESIGN: the admin never writes behind the services' back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.reporting.models import Report, ReportObligation, ReportTemplate

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    TemplateAdminBase = admin.ModelAdmin[ReportTemplate]
    ReportAdminBase = admin.ModelAdmin[Report]
    ObligationAdminBase = admin.ModelAdmin[ReportObligation]
else:
    TemplateAdminBase = ReportAdminBase = ObligationAdminBase = admin.ModelAdmin


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ReadOnlyAdminMixin, TemplateAdminBase):
    list_display = ("code", "name", "kind", "cadence", "is_active")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, ReportAdminBase):
    list_display = ("title", "period", "state", "version", "number", "issued_on")
    list_filter = ("state",)
    exclude = ("document", "workbook")


@admin.register(ReportObligation)
class ReportObligationAdmin(ReadOnlyAdminMixin, ObligationAdminBase):
    list_display = ("name", "period", "due_on", "state", "submission_number")
    list_filter = ("state",)
