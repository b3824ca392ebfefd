"""Read-only admin of data sharing (DESIGN: the admin never writes behind the services' back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.sharing.models import AccessRequest, Grant, SharingTerms

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    RequestAdminBase = admin.ModelAdmin[AccessRequest]
    GrantAdminBase = admin.ModelAdmin[Grant]
    TermsAdminBase = admin.ModelAdmin[SharingTerms]
else:
    RequestAdminBase = GrantAdminBase = TermsAdminBase = admin.ModelAdmin


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdminMixin, RequestAdminBase):
    list_display = ["pk", "dataset", "agency", "mode", "status", "submitted_at", "due_at"]
    list_filter = ["status", "mode"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdminMixin, GrantAdminBase):
    list_display = ["pk", "dataset", "agency", "starts_at", "expires_at", "revoked_at"]


@admin.register(SharingTerms)
class SharingTermsAdmin(ReadOnlyAdminMixin, TermsAdminBase):
    list_display = ["setup_working_days", "response_working_days", "max_grant_days", "remind_before_hours"]
