"""Read-only admin of agency work (R3.3): every change goes through `ioc.assignments.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ioc.assignments.models import Assignment, AssignmentUpdate, EscalationChain, EscalationStep, Evidence


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = EscalationStep
    fields = ("order", "at_share", "role", "urgent")
    readonly_fields = fields
    extra = 0


class UpdateInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = AssignmentUpdate
    fields = ("at", "kind", "actor", "text", "is_public")
    readonly_fields = fields
    extra = 0


@admin.register(EscalationChain)
class EscalationChainAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Chains change through `escalation_chain_set` (audited, validated)."""

    list_display = ("name", "process", "category_code")
    list_filter = ("process",)
    inlines = [StepInline]


@admin.register(Assignment)
class AssignmentAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("subject_label", "process", "agency", "status", "deadline_at", "escalation_level")
    list_filter = ("process", "status")
    search_fields = ("subject_label", "subject_id")
    list_select_related = ("agency",)
    date_hierarchy = "forwarded_at"
    inlines = [UpdateInline]


@admin.register(Evidence)
class EvidenceAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("assignment", "content_type", "sha256", "uploaded_at", "is_public")
    list_select_related = ("assignment",)
