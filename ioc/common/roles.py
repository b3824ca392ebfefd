"""Roles (R7.1) and the role sets every layer reads (DESIGN "Scope").

They live at the bottom layer so that foundation apps below `accounts` (audit, agencies) can name a role
without importing `accounts`; `ioc.accounts.choices` re-exports them.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
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

# Who changes the deployment's configuration (R7.1): the catalogue of agencies and information systems belongs to
# the system administrator; the working calendar and hours are also the IOC leader's (the act makes the IOC
# leader answerable for deadlines).
AGENCY_CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN})
WORKTIME_CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})


def actor_has_role(actor: Any, roles: Iterable[str]) -> bool:
    """Whether `actor` is an active, signed-in-capable account holding one of `roles` (its active roles)."""
    if actor is None or not getattr(actor, "is_active", False) or getattr(actor, "is_removed", False):
        return False
    return bool(set(getattr(actor, "role_codes", frozenset())) & set(roles))


def actor_require_role(actor: Any, roles: Iterable[str], message: str) -> None:
    """R7.1: a configuration service's own check; PermissionDenied(message) unless the actor holds a role."""
    if not actor_has_role(actor, roles):
        raise PermissionDenied(message)
