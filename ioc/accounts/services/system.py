"""The IOC's own account (R7.2, R7.3): every write has a real actor, and setup, demo data and background work
act as this account (`choices.SYSTEM_USERNAME`). It holds the system-administrator role on a recorded request
and can never sign in (unusable password, no second factor, never an approver)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.choices import SYSTEM_FULL_NAME, SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import AccountRequest, RoleAssignment, User
from ioc.accounts.selectors import SYSTEM_ACCOUNT
from ioc.accounts.services.requests import (
    _approver_error,
    _has_active_role,
    _refuse,
    _request_done,
    account_request_record,
)
from ioc.audit.services import audit_record


def human_admins_exist() -> bool:
    """Whether an active system administrator other than the system account exists."""
    return (
        RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True)
        .exclude(user__username=SYSTEM_USERNAME)
        .exists()
    )


def system_user_get_or_create() -> User:
    """The system account's row (created without a role or a usable password when missing)."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, full_name=SYSTEM_FULL_NAME, email="")
        user.set_unusable_password()
        user.save()
    elif user.is_removed or not user.is_active:
        _refuse(
            "username",
            _(
                "Tài khoản hệ thống đã bị khóa hoặc xóa bỏ; mở khóa bằng văn bản đề nghị / "
                "The system account is locked or removed; unlock it on an account request"
            ),
        )
    return user


def system_role_grant(user: User, request: AccountRequest) -> bool:
    """Give the system account its administrator role on `request` unless it holds it; True when granted."""
    from ioc.accounts.services.accounts import _role_add

    if _has_active_role(user, Role.SYSTEM_ADMIN):
        return False
    _role_add(user, role=Role.SYSTEM_ADMIN, agency=None, unit=None, request=request)
    return True


@transaction.atomic
def system_account_ensure(
    *, document_no: str, document_date: dt.date, issuing_body: str, approver: User | None = None
) -> User:
    """R7.2, R7.3: the system account, created (or given back its role) on a recorded bootstrap request.

    Idempotent: when the account exists with its role nothing is written. A deployment that already has an
    administrator names one as `approver`; a new deployment uses `admin_bootstrap`, which creates it too.
    """
    existing = User.objects.filter(username=SYSTEM_USERNAME).first()
    if existing is not None and existing.is_active and _has_active_role(existing, Role.SYSTEM_ADMIN):
        return existing
    if approver is not None or human_admins_exist():
        problem = _approver_error(approver)
        if problem:
            _refuse("approver", problem)
    user = system_user_get_or_create()
    request = account_request_record(
        kind=RequestKind.BOOTSTRAP,
        document_no=document_no,
        document_date=document_date,
        issuing_body=issuing_body,
        approver=approver,
        requested_by=user,
        subject=user,
        payload={"username": SYSTEM_USERNAME, "system_account": True},
    )
    system_role_grant(user, request)
    _request_done(request, subject=user, applied={"username": SYSTEM_USERNAME, "role": Role.SYSTEM_ADMIN})
    changes = {"request": request.pk, "approver": approver.username if approver else None}
    audit_record(actor=user, action="account.system_ensure", obj=user, changes=changes)
    SYSTEM_ACCOUNT.changed()
    return user
