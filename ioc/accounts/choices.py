"""Roles (R7.1), account-request kinds (R7.2) and token scopes (DESIGN "Tokens")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ioc.common.roles import AGENCY_ROLES, IOC_STAFF_ROLES, STAFF_ROLES, TERRITORY_ROLES, Role

# Roles live in the bottom layer (`ioc.common.roles`) so that audit and agencies can read them (import-linter).
__all__ = [
    "AGENCY_ROLES",
    "IOC_STAFF_ROLES",
    "STAFF_ROLES",
    "SYSTEM_FULL_NAME",
    "SYSTEM_USERNAME",
    "TERRITORY_ROLES",
    "TOKEN_SCOPES",
    "RequestKind",
    "RequestStatus",
    "Role",
    "scope_is_known",
]

# The IOC's own account (every write has a real actor): setup commands, demo generators and background work act
# as it. It holds the system-administrator role on a recorded bootstrap request and can never sign in.
SYSTEM_USERNAME = "he-thong"
SYSTEM_FULL_NAME = "Hệ thống IOC"


class RequestKind(models.TextChoices):
    """R7.2: every account change is one of these, on a written request."""

    BOOTSTRAP = "bootstrap", _("Khởi tạo quản trị viên đầu tiên")
    CREATE = "create", _("Tạo tài khoản")
    GRANT_ROLE = "grant_role", _("Cấp quyền")
    REVOKE_ROLE = "revoke_role", _("Thu hồi quyền")
    LOCK = "lock", _("Khóa tài khoản")
    UNLOCK = "unlock", _("Mở khóa tài khoản")
    RESET = "reset", _("Đặt lại mật khẩu / thiết bị xác thực")
    REMOVE = "remove", _("Xóa bỏ tài khoản")
    ISSUE_TOKEN = "issue_token", _("Cấp mã truy cập hệ thống")
    REVOKE_TOKEN = "revoke_token", _("Thu hồi mã truy cập hệ thống")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Chờ phê duyệt")
    APPLIED = "applied", _("Đã thực hiện")
    REFUSED = "refused", _("Từ chối")


# Token scopes; `datahub.push:<dataset>` is a family with a dataset suffix.
TOKEN_SCOPES = (
    "open311.submit",
    "sta.write",
    "cameras.events",
    "incidents.alerts",
    "datahub.push",
    "indicators.values",
    "sharing.read",
    "cybersecurity.events",
    "dossiers.events",
    "media_watch.items",
)


def scope_is_known(scope: str) -> bool:
    base = scope.split(":", 1)[0]
    return base in TOKEN_SCOPES and (":" not in scope or base == "datahub.push")
