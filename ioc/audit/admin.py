"""Read-only admin of the audit trail (R7.3): entries are never added, changed or deleted by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ioc.audit.models import AuditEntry
from ioc.audit.selectors import can_read_audit
from ioc.common.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AuditEntry]):
    """R7.3: read-only; the audit page /nhat-ky/ is the operators' view."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "request_id", "position"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_type", "object_id", "request_id"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEntry | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read_audit(user=request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read_audit(user=request.user) or super().has_module_permission(request)
