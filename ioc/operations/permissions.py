"""R10.4: who may do what with the center's staff and allowances.

The managing body ("cơ quan quản lý", the agency with `ActRole.MANAGING` in the act) approves sheets and changes;
its officers and heads, with the IOC leader, keep the staff list and see personal data. Agency members otherwise
see their own agency's staff and sheets only.
"""

from __future__ import annotations

from typing import Any

from ioc.accounts.models import RoleAssignment
from ioc.agencies.choices import ActRole
from ioc.agencies.models import AgencyActRole
from ioc.common.roles import Role, actor_has_role
from ioc.operations.choices import AGENCY_MEMBER_ROLES, STAFF_ADMIN_ROLES


def managing_agency_ids() -> set[int]:
    """The agencies the act names as managing body."""
    return set(AgencyActRole.objects.filter(role=ActRole.MANAGING).values_list("agency_id", flat=True))


def member_agency_ids(user: Any) -> set[int]:
    """The agencies an officer or head acts for (their role's agency, else their account's)."""
    if not getattr(user, "pk", None) or not actor_has_role(user, AGENCY_MEMBER_ROLES):
        return set()
    rows = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True, role__in=AGENCY_MEMBER_ROLES)
    found = {agency for agency in rows.values_list("agency_id", flat=True) if agency}
    if not found and getattr(user, "agency_id", None):
        found.add(user.agency_id)
    return found


def is_managing_member(user: Any) -> bool:
    """R10.2, R10.4: an officer or head of the managing body."""
    return bool(member_agency_ids(user) & managing_agency_ids())


def can_manage_staff(user: Any) -> bool:
    """R10.4: the IOC leader or the managing body keep the staff list, prepare sheets and see personal data."""
    return actor_has_role(user, STAFF_ADMIN_ROLES) or is_managing_member(user)


def sees_everything(user: Any) -> bool:
    """The IOC's own staff and the managing body see every agency's staff (names, positions, places)."""
    return actor_has_role(user, {Role.IOC_LEADER, Role.IOC_OPERATOR}) or is_managing_member(user)
