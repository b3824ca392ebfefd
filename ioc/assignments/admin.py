"""Read-only admin of agency work (R3.3): every change goes through `ioc.assignments.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationChain, EscalationStep, Evidence
from ioc.common.admin import ReadOnlyAdminMixin


class StepInline(ReadOnlyAdminMixin, admin.TabularInline[EscalationStep, EscalationChain]):
    model = EscalationStep
    fields = ("order", "at_share", "role", "urgent")
    readonly_fields = fields
    extra = 0


class UpdateInline(ReadOnlyAdminMixin, admin.TabularInline[AssignmentUpdate, Assignment]):
    model = AssignmentUpdate
    fields = ("at", "kind", "actor", "text", "is_public")
    readonly_fields = fields
    extra = 0


@admin.register(EscalationChain)
class EscalationChainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[EscalationChain]):
    """Chains change through `escalation_chain_set` (audited, validated)."""

    list_display = ("name", "process", "category_code")
    list_filter = ("process",)
    inlines = [StepInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Assignment]):
    list_display = ("subject_label", "process", "agency", "status", "deadline_at", "escalation_level")
    list_filter = ("process", "status")
    search_fields = ("subject_label", "subject_id")
    list_select_related = ("agency",)
    date_hierarchy = "forwarded_at"
    inlines = [UpdateInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Evidence]):
    list_display = ("assignment", "content_type", "sha256", "uploaded_at", "is_public")
    list_select_related = ("assignment",)
