"""Read-only admin of the information-security watch (R5.6): it changes only through `ioc.cybersecurity.services`
(the configuration pages under "Quản trị")."""

from __future__ import annotations

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.cybersecurity.models import (
    Asset,
    CheckResult,
    EventRule,
    EventSource,
    Exposure,
    Rejection,
    SecurityEvent,
    Vulnerability,
)


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Asset]):
    list_display = ("code", "name", "kind", "agency", "level", "status", "last_checked_at")
    list_filter = ("kind", "status", "is_active")


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CheckResult]):
    list_display = ("asset", "checked_at", "ok", "status_code", "response_ms")


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[SecurityEvent]):
    list_display = ("occurred_at", "format", "host", "rule", "severity", "agency")
    list_filter = ("format", "severity")


@admin.register(EventSource)
class EventSourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[EventSource]):
    list_display = ("name", "address", "agency", "is_active")


@admin.register(EventRule)
class EventRuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[EventRule]):
    list_display = ("code", "name", "rule_prefix", "min_severity", "threshold", "window_minutes", "is_active")


@admin.register(Rejection)
class RejectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Rejection]):
    list_display = ("channel", "reason", "count", "last_at")


@admin.register(Vulnerability)
class VulnerabilityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Vulnerability]):
    list_display = ("code", "title", "severity", "published_on", "working_hours")


@admin.register(Exposure)
class ExposureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Exposure]):
    list_display = ("vulnerability", "asset", "agency", "status", "deadline_at", "fixed_at", "fixed_on_time")
    list_filter = ("status",)
