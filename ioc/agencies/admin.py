"""Read-only admin of agencies (R1.1): changes go through `ioc.agencies.services`."""

from __future__ import annotations

from django.contrib import admin

from ioc.agencies.models import Agency, AgencyActRole, InformationSystem
from ioc.common.admin import ReadOnlyAdminMixin


class ActRoleInline(ReadOnlyAdminMixin, admin.TabularInline[AgencyActRole, Agency]):
    model = AgencyActRole
    fields = ("role", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Agency]):
    list_display = ("name", "code", "kind", "parent", "unit", "works_24x7", "is_active")
    list_filter = ("kind", "is_active", "works_24x7", "act_roles__role")
    search_fields = ("name", "code", "short_name")
    list_select_related = ("parent", "unit")
    inlines = [ActRoleInline]


@admin.register(InformationSystem)
class InformationSystemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[InformationSystem]):
    list_display = ("name", "code", "agency", "service_user", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "agency__name")
    list_select_related = ("agency", "service_user")
