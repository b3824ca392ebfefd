"""Who may do what with citizen reports (R3.3, R7.1, R7.5). Services and selectors ask these; pages reuse them."""

from __future__ import annotations

from typing import Any

from ioc.accounts.choices import IOC_STAFF_ROLES, Role

# The IOC leader approves reports of categories that require it (R3.3).
APPROVER_ROLES = frozenset({Role.IOC_LEADER})
# Categories and routing rules (R3.2): the "Quản trị" section's roles (issue 8); operators use them, leaders set them.
CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})
# Agency people who may see the reporter's contact of a report their agency holds, with consent (R7.5).
AGENCY_CONTACT_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})


def roles_of(user: Any) -> frozenset[str]:
    """The active role codes of a user ("" for anonymous or inactive users)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    return frozenset(user.role_codes)


def is_ioc_staff(user: Any) -> bool:
    return bool(roles_of(user) & IOC_STAFF_ROLES)


def is_approver(user: Any) -> bool:
    return bool(roles_of(user) & APPROVER_ROLES)


def can_configure(user: Any) -> bool:
    """Categories and routing rules: administrators and the IOC leader (setup and demo data act as the system
    account, a system administrator); nobody configures anonymously."""
    return bool(roles_of(user) & CONFIG_ROLES)


def is_agency_person(user: Any) -> bool:
    return bool(roles_of(user) & AGENCY_CONTACT_ROLES)
