"""Read-only admin of federation (R9.1–R9.3): every change goes through `ioc.federation.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.federation.models import (
    CodeMapping,
    Conflict,
    DeadLetter,
    InboxMessage,
    Link,
    OutboxMessage,
    ReportSubmission,
    SubordinateReport,
)


@admin.register(Link)
class LinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Link]):
    list_display = ("code", "name", "role", "base_url", "key_id", "is_active", "last_success_at")
    list_filter = ("role", "is_active")
    exclude = ("secret_sealed",)


@admin.register(CodeMapping)
class CodeMappingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CodeMapping]):
    list_display = ("link", "kind", "remote_code", "local_code")
    list_filter = ("kind",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[OutboxMessage]):
    list_display = ("message_id", "link", "flow", "object_key", "version", "state", "attempts", "created_at")
    list_filter = ("state", "flow")


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[InboxMessage]):
    list_display = ("message_id", "link", "flow", "object_key", "version", "state", "received_at")
    list_filter = ("state", "flow")


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[DeadLetter]):
    list_display = ("message", "created_at", "replayed_at")


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Conflict]):
    list_display = ("link", "indicator_code", "unit_code", "period", "local_value", "received_value", "state")
    list_filter = ("state",)


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ReportSubmission]):
    list_display = ("report", "link", "submitted_by", "submitted_at")


@admin.register(SubordinateReport)
class SubordinateReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[SubordinateReport]):
    list_display = ("number", "title", "link", "period", "version", "is_current", "received_at")
    list_filter = ("is_current",)
    exclude = ("document",)
