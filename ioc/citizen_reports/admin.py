"""Read-only admin of citizen reports (DESIGN: the admin never writes behind the services' back).

Reporters' contacts and mailbox items (e-mail senders, bodies) are not registered: contacts are read only
through `selectors.report_contact_for`, which audits every view (R7.5). Photos and the private-token digest
are not shown either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.citizen_reports.models import Category, Report, ReportEvent, RoutingRule
from ioc.common.admin import ReadOnlyAdminMixin

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    CategoryAdminBase = admin.ModelAdmin[Category]
    RoutingRuleAdminBase = admin.ModelAdmin[RoutingRule]
    ReportAdminBase = admin.ModelAdmin[Report]
    EventInlineBase = admin.TabularInline[ReportEvent, Report]
else:
    CategoryAdminBase = RoutingRuleAdminBase = ReportAdminBase = admin.ModelAdmin
    EventInlineBase = admin.TabularInline


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdminMixin, CategoryAdminBase):
    list_display = [
        "code",
        "name",
        "group",
        "default_agency",
        "handling_hours",
        "requires_leader_approval",
        "is_active",
    ]
    list_filter = ["is_active", "requires_leader_approval", "evidence_photo_required", "group"]
    search_fields = ["code", "name", "name_en", "keywords"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ReadOnlyAdminMixin, RoutingRuleAdminBase):
    list_display = ["category", "unit", "agency"]
    list_select_related = ["category", "unit", "agency"]
    list_filter = ["category"]


class ReportEventInline(ReadOnlyAdminMixin, EventInlineBase):
    model = ReportEvent
    fields = ["at", "actor", "from_status", "to_status", "note", "is_public"]
    extra = 0


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, ReportAdminBase):
    list_display = ["tracking_code", "category", "status", "channel", "unit", "agency", "received_at", "deadline_at"]
    list_filter = ["status", "channel", "category", "needs_location"]
    list_select_related = ["category", "unit", "agency"]
    search_fields = ["tracking_code"]
    date_hierarchy = "received_at"
    exclude = ["private_token_digest"]
    raw_id_fields = ["unit", "duplicate_of", "assignment", "created_by", "verified_by", "approved_by"]
    inlines = [ReportEventInline]
