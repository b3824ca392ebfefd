"""Roles (R7.1), account-request kinds (R7.2) and token scopes (DESIGN "Tokens")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    IOC_OPERATOR = "ioc_operator", _("Cán bộ vận hành IOC")
    IOC_LEADER = "ioc_leader", _("Lãnh đạo IOC")
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo tỉnh")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ cơ quan, đơn vị")
    AGENCY_HEAD = "agency_head", _("Lãnh đạo cơ quan, đơn vị")
    DISPLAY_SCREEN = "display_screen", _("Màn hình hiển thị")
    CITIZEN = "citizen", _("Người dân")
    INFORMATION_SYSTEM = "information_system", _("Hệ thống thông tin")


# Staff roles must enrol a second factor (TOTP) at first login (R7.4).
STAFF_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.IOC_OPERATOR,
        Role.IOC_LEADER,
        Role.PROVINCE_LEADER,
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
    }
)
# IOC staff (R3.3, R4.2): the operators and leaders who verify, forward, publish and watch agency work.
IOC_STAFF_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER})
# Roles whose scope is bound to one agency.
AGENCY_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.INFORMATION_SYSTEM})
# Roles that see the whole territory.
TERRITORY_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER, Role.DISPLAY_SCREEN})


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
)


def scope_is_known(scope: str) -> bool:
    base = scope.split(":", 1)[0]
    return base in TOKEN_SCOPES and (":" not in scope or base == "datahub.push")
