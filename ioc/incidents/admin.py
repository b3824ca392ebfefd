"""Read-only admin of alerts and incidents (DESIGN: the admin never writes behind the services' back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.incidents.models import Alert, Incident, IncidentEvent, VerificationTimer

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    AlertAdminBase = admin.ModelAdmin[Alert]
    IncidentAdminBase = admin.ModelAdmin[Incident]
    TimerAdminBase = admin.ModelAdmin[VerificationTimer]
    EventInlineBase = admin.TabularInline[IncidentEvent, Incident]
else:
    AlertAdminBase = IncidentAdminBase = TimerAdminBase = admin.ModelAdmin
    EventInlineBase = admin.TabularInline


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdminMixin, AlertAdminBase):
    list_display = ["title", "source", "kind", "severity", "state", "count", "last_seen_at", "incident"]
    list_filter = ["state", "source", "kind", "severity"]
    search_fields = ["title", "dedup_key"]


class EventInline(ReadOnlyAdminMixin, EventInlineBase):
    model = IncidentEvent
    fields = ["at", "kind", "actor", "text"]
    extra = 0


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdminMixin, IncidentAdminBase):
    list_display = ["title", "kind", "process", "state", "severity", "raised_at", "closed_at"]
    list_filter = ["process", "state", "kind", "severity"]
    search_fields = ["title"]
    inlines = [EventInline]


@admin.register(VerificationTimer)
class VerificationTimerAdmin(ReadOnlyAdminMixin, TimerAdminBase):
    list_display = ["alert", "due_at", "state", "fired_at"]
    list_filter = ["state"]
