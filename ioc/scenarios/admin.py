"""Read-only admin of scenarios, activations and public warnings (writes go through the services' pages)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.scenarios.models import Activation, PublicWarning, Scenario

if TYPE_CHECKING:
    ScenarioAdminBase = admin.ModelAdmin[Scenario]
    ActivationAdminBase = admin.ModelAdmin[Activation]
    WarningAdminBase = admin.ModelAdmin[PublicWarning]
else:
    ScenarioAdminBase = ActivationAdminBase = WarningAdminBase = admin.ModelAdmin


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdminMixin, ScenarioAdminBase):
    list_display = ["name", "code", "group", "version", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Activation)
class ActivationAdmin(ReadOnlyAdminMixin, ActivationAdminBase):
    list_display = ["scenario", "incident", "way", "activated_at", "trigger_count"]
    list_filter = ["way"]


@admin.register(PublicWarning)
class PublicWarningAdmin(ReadOnlyAdminMixin, WarningAdminBase):
    list_display = ["headline_vi", "msg_type", "state", "severity", "sent_at", "expires"]
    list_filter = ["state", "msg_type", "severity"]
    search_fields = ["headline_vi", "identifier"]
