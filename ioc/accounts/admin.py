"""Read-only admin pages for accounts (R7.1, R7.2): every change goes through an account request and its
service; the Django admin only shows. A token's digest is never shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from ioc.accounts.choices import Role
from ioc.accounts.models import AccountRequest, ApiToken, DisplayScreen, RoleAssignment, User
from ioc.common.admin import ReadOnlyAdminMixin

if TYPE_CHECKING:
    ReadOnlyBase = admin.ModelAdmin[Any]
else:
    ReadOnlyBase = admin.ModelAdmin


class ReadOnlyAdmin(ReadOnlyAdminMixin, ReadOnlyBase):
    """Shows rows to system administrators only; never adds, changes or deletes."""

    actions = None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request)


def _is_system_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and Role.SYSTEM_ADMIN in getattr(user, "role_codes", ()))


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "full_name", "agency", "is_active", "is_removed", "is_service_account", "last_login")
    list_filter = ("is_active", "is_removed", "is_service_account")
    search_fields = ("username", "full_name", "email")
    fields = (
        "username",
        "full_name",
        "email",
        "phone",
        "agency",
        "is_active",
        "is_removed",
        "is_service_account",
        "is_staff",
        "last_login",
        "date_joined",
        "password_changed_at",
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "agency", "unit", "granted_by", "granted_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("user__username",)
    list_select_related = ("user", "agency", "unit", "granted_by")


@admin.register(AccountRequest)
class AccountRequestAdmin(ReadOnlyAdmin):
    list_display = ("document_no", "document_date", "issuing_body", "kind", "status", "subject", "approver")
    list_filter = ("kind", "status")
    search_fields = ("document_no", "issuing_body", "subject__username")
    list_select_related = ("subject", "approver")
    # The scan is served only by the guarded request page, never as a media URL.
    exclude = ("scan",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "label", "created_at", "expires_at", "revoked_at", "last_used_at")
    search_fields = ("prefix", "user__username", "label")
    list_select_related = ("user",)
    fields = (
        "prefix",
        "user",
        "scopes",
        "label",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "issued_by",
        "revoked_by",
    )


@admin.register(DisplayScreen)
class DisplayScreenAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "location", "user")
    search_fields = ("code", "name")
