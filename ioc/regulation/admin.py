"""Read-only admin of the regulation (R11): the act changes only through `ioc.regulation.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.regulation.models import (
    Act,
    Allowance,
    Article,
    Duty,
    MonitoredDomain,
    ReportCalendarEntry,
    ReviewMeeting,
    StaffPosition,
    TemplateCadence,
)


@admin.register(Act)
class ActAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Act]):
    list_display = ["profile", "number", "date", "issuing_body", "level"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Article]):
    list_display = ["act", "number", "title"]
    list_filter = ["act"]


@admin.register(Duty)
class DutyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Duty]):
    list_display = ["act", "code", "title", "source", "responsible", "carried_out_by"]
    list_filter = ["act"]


@admin.register(MonitoredDomain)
class MonitoredDomainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[MonitoredDomain]):
    list_display = ["act", "code", "name", "kind", "source"]
    list_filter = ["act", "kind"]


@admin.register(ReportCalendarEntry)
class ReportCalendarEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ReportCalendarEntry]):
    list_display = ["act", "code", "name", "frequency", "due_day", "source"]
    list_filter = ["act", "frequency"]


@admin.register(TemplateCadence)
class TemplateCadenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[TemplateCadence]):
    list_display = ["act", "code", "description", "weekdays", "source"]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ReviewMeeting]):
    list_display = ["act", "code", "name", "frequency", "organiser", "source"]


@admin.register(Allowance)
class AllowanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Allowance]):
    list_display = ["act", "code", "beneficiary", "amount_vnd", "period", "source"]


@admin.register(StaffPosition)
class StaffPositionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[StaffPosition]):
    list_display = ["act", "code", "title", "count", "provided_by", "source"]
