"""Read-only admin of dossiers (writes go through the services)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.dossiers.models import Dossier, Procedure, Violation

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    ProcedureAdminBase = admin.ModelAdmin[Procedure]
    DossierAdminBase = admin.ModelAdmin[Dossier]
    ViolationAdminBase = admin.ModelAdmin[Violation]
else:
    ProcedureAdminBase = DossierAdminBase = ViolationAdminBase = admin.ModelAdmin


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdminMixin, ProcedureAdminBase):
    list_display = ["code", "name", "field", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdminMixin, DossierAdminBase):
    list_display = ["code", "agency", "status", "received_at", "due_at", "is_late"]
    list_filter = ["status", "is_late", "channel"]
    search_fields = ["code"]
    exclude = ["contact_index", "id_index"]


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdminMixin, ViolationAdminBase):
    list_display = ["dossier", "rule", "agency", "state", "severity", "detected_at"]
    list_filter = ["state", "rule"]
