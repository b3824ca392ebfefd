"""Read-only admin of reports (DESIGN: the admin never writes behind the services' back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.reporting.models import Meeting, MeetingDecision, Report, ReportObligation, ReportTemplate

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    TemplateAdminBase = admin.ModelAdmin[ReportTemplate]
    ReportAdminBase = admin.ModelAdmin[Report]
    ObligationAdminBase = admin.ModelAdmin[ReportObligation]
    MeetingAdminBase = admin.ModelAdmin[Meeting]
    DecisionAdminBase = admin.ModelAdmin[MeetingDecision]
else:
    TemplateAdminBase = ReportAdminBase = ObligationAdminBase = admin.ModelAdmin
    MeetingAdminBase = DecisionAdminBase = admin.ModelAdmin


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


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, MeetingAdminBase):
    list_display = ("name", "period", "held_on", "state")
    list_filter = ("state", "code")


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(ReadOnlyAdminMixin, DecisionAdminBase):
    list_display = ("meeting", "position", "agency", "escalated_at", "followed_up_in")
