"""Read-only admin of running the center (R10.2–R10.4): every change goes through `ioc.operations.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.operations.models import AllowanceRule, AllowanceSheet, Posting, Staff, Training


@admin.register(Staff)
class StaffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Staff]):
    list_display = ("full_name", "home_agency", "position", "is_leader")
    # R10.4: personal data is read through `selectors.staff_personal_data` (audited), never shown here.
    exclude = ("phone_encrypted", "email_encrypted", "birth_date_encrypted")


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Posting]):
    list_display = ("staff", "work_place", "starts_on", "ends_on")


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Training]):
    list_display = ("staff", "title", "held_on", "hours")


@admin.register(AllowanceRule)
class AllowanceRuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AllowanceRule]):
    list_display = ("work_place", "allowance", "proration")


@admin.register(AllowanceSheet)
class AllowanceSheetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AllowanceSheet]):
    list_display = ("paying_agency", "month", "version", "state", "total_vnd")
    list_filter = ("state",)
