"""Accounts and roles, each change on a pending account request of its kind (R7.1, R7.2, R7.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts.choices import AGENCY_ROLES, SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import AccountRequest, ApiToken, BackupCodeBatch, DisplayScreen, RoleAssignment, User
from ioc.accounts.services.requests import (
    Errors,
    _actor_check,
    _add,
    _has_active_role,
    _refuse,
    _request_done,
    _request_take,
    _roles_forget,
    account_request_record,
)
from ioc.accounts.services.system import human_admins_exist, system_role_grant, system_user_get_or_create
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record
from ioc.geo.choices import Hierarchy
from ioc.geo.models import AdminUnit

# --- accounts ----------------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    account_request: AccountRequest,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    password: str,
    agency: Agency | None = None,
    phone: str = "",
) -> User:
    """R7.2, R7.4: create a person's account on a `create` request; the password must pass the strength policy."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.CREATE)
    user = User(username=(username or "").strip(), full_name=(full_name or "").strip(), email=(email or "").strip())
    user.agency, user.phone = agency, (phone or "").strip()
    errors = _identity_errors(user, email_required=True)
    _add(errors, "password", *_password_errors(password, user))
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    changes = {"username": user.username, "agency": agency.code if agency else None}
    _request_done(request, subject=user, applied=changes)
    audit_record(actor=actor, action="account.create", obj=user, changes={**changes, "request": request.pk})
    return user


def _identity_errors(user: User, *, email_required: bool) -> Errors:
    errors: Errors = {}
    if not user.username:
        _add(errors, "username", _("Cần tên đăng nhập / The username is required"))
    else:
        try:
            user.username_validator(user.username)
        except ValidationError as exc:
            _add(errors, "username", *exc.messages)
        if len(user.username) > 150:
            _add(errors, "username", _("Tên đăng nhập quá dài / The username is too long"))
        elif User.objects.filter(username__iexact=user.username).exists():
            _add(errors, "username", _("Tên đăng nhập đã tồn tại / The username is taken"))
    if not user.full_name:
        _add(errors, "full_name", _("Cần họ và tên / The full name is required"))
    if user.email or email_required:
        try:
            EmailValidator()(user.email)
        except ValidationError:
            _add(errors, "email", _("Địa chỉ thư điện tử không hợp lệ / The e-mail address is not valid"))
    return errors


def _password_errors(password: str | None, user: User) -> list[str]:
    if not password:
        return [_("Cần mật khẩu / The password is required")]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def role_grant(
    *,
    account_request: AccountRequest,
    actor: User,
    user: User,
    role: str,
    agency: Agency | None = None,
    unit: AdminUnit | None = None,
) -> RoleAssignment:
    """R7.1, R7.2: give a role (agency roles need an agency; a unit limits it to a 2025 subtree)."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.GRANT_ROLE, subject=user)
    if role in AGENCY_ROLES and agency is None:
        agency = user.agency
    errors = _grant_errors(user, role, agency, unit)
    if errors:
        raise ValidationError(errors)
    assignment = _role_add(user, role=role, agency=agency, unit=unit, request=request)
    applied = {"role": role, "agency": agency.code if agency else None, "unit": unit.code if unit else None}
    _request_done(request, subject=user, applied=applied)
    audit_record(actor=actor, action="account.role_grant", obj=user, changes={**applied, "request": request.pk})
    return assignment


def _grant_errors(user: User, role: str, agency: Agency | None, unit: AdminUnit | None) -> Errors:
    errors: Errors = {}
    if role not in Role.values:
        _add(errors, "role", _("Vai trò không hợp lệ / Unknown role"))
    elif _has_active_role(user, role):
        _add(errors, "role", _("Tài khoản đã có vai trò này / The account already has this role"))
    elif (role == Role.INFORMATION_SYSTEM) != user.is_service_account:
        _add(errors, "role", _("Vai trò hệ thống thông tin chỉ dành cho tài khoản hệ thống / System role mismatch"))
    elif role == Role.DISPLAY_SCREEN and not DisplayScreen.objects.filter(user=user).exists():
        _add(errors, "role", _("Tài khoản chưa gắn với màn hình đã đăng ký / No registered screen for this account"))
    if role in AGENCY_ROLES and agency is None:
        _add(errors, "agency", _("Vai trò này cần cơ quan, đơn vị / This role needs an agency"))
    if unit is not None and unit.hierarchy != Hierarchy.CURRENT:
        _add(errors, "unit", _("Chỉ dùng đơn vị hành chính từ 2025 / Only 2025 administrative units"))
    if not user.is_active or user.is_removed:
        _add(errors, "user", _("Tài khoản đang bị khóa hoặc đã xóa bỏ / The account is locked or removed"))
    return errors


def _role_add(
    user: User, *, role: str, agency: Agency | None, unit: AdminUnit | None, request: AccountRequest
) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit, granted_by=request)
    if role == Role.SYSTEM_ADMIN and not user.is_staff:
        user.is_staff = True  # the Django admin requires it; its pages are read-only (R7.1)
        user.save(update_fields=["is_staff"])
    _roles_forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, account_request: AccountRequest, actor: User, user: User, role: str) -> RoleAssignment:
    """R7.1, R7.2: strip a role; the last active system administrator keeps theirs."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.REVOKE_ROLE, subject=user)
    assignment = RoleAssignment.objects.filter(user=user, role=role, revoked_at__isnull=True).first()
    if assignment is None:
        _refuse("role", _("Tài khoản không có vai trò này / The account does not have this role"))
    if role == Role.SYSTEM_ADMIN:
        _system_account_kept(user)
        _last_admin_check(user)
    _roles_end(user, request, roles=[role])
    _request_done(request, subject=user, applied={"role": role})
    audit_record(actor=actor, action="account.role_revoke", obj=user, changes={"role": role, "request": request.pk})
    return RoleAssignment.objects.get(pk=assignment.pk)


def _roles_end(user: User, request: AccountRequest, *, roles: Sequence[str] | None = None) -> list[str]:
    active = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
    if roles is not None:
        active = active.filter(role__in=roles)
    ended = sorted(active.values_list("role", flat=True))
    active.update(revoked_at=timezone.now(), revoked_by=request)
    if Role.SYSTEM_ADMIN in ended and user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    _roles_forget(user)
    return ended


def _system_account_kept(user: User) -> None:
    """R7.3: the system account acts for setup and background work; locking, removing it or taking its role
    would leave those writes without an actor."""
    if user.username == SYSTEM_USERNAME:
        _refuse("user", _("Không thể khóa, xóa bỏ hay thu hồi quyền tài khoản hệ thống / The system account stays"))


def _last_admin_check(user: User) -> None:
    others = (
        RoleAssignment.objects.filter(
            role=Role.SYSTEM_ADMIN, revoked_at__isnull=True, user__is_active=True, user__is_removed=False
        )
        .exclude(user=user)
        .exclude(user__username=SYSTEM_USERNAME)
    )
    if _has_active_role(user, Role.SYSTEM_ADMIN) and not others.exists():
        _refuse("user", _("Không thể bỏ quản trị hệ thống cuối cùng / The last system administrator must remain"))


@transaction.atomic
def user_lock(*, account_request: AccountRequest, actor: User, user: User) -> User:
    """R7.2: lock an account (it can no longer sign in; its sessions and tokens stop working)."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.LOCK, subject=user)
    if user.is_removed or not user.is_active:
        _refuse("user", _("Tài khoản đã bị khóa hoặc xóa bỏ / The account is already locked or removed"))
    _system_account_kept(user)
    _last_admin_check(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _roles_forget(user)
    _request_done(request, subject=user, applied={"is_active": False})
    audit_record(actor=actor, action="account.lock", obj=user, changes={"request": request.pk})
    return user


@transaction.atomic
def user_unlock(*, account_request: AccountRequest, actor: User, user: User) -> User:
    """R7.2, R7.4: unlock an account and clear its sign-in lockout (django-axes)."""
    from axes.utils import reset as axes_reset

    _actor_check(actor)
    request = _request_take(account_request, RequestKind.UNLOCK, subject=user)
    if user.is_removed:
        _refuse("user", _("Tài khoản đã bị xóa bỏ / The account was removed"))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _roles_forget(user)
    cleared = axes_reset(username=user.username)
    _request_done(request, subject=user, applied={"is_active": True, "lockouts_cleared": cleared})
    audit_record(
        actor=actor, action="account.unlock", obj=user, changes={"lockouts_cleared": cleared, "request": request.pk}
    )
    return user


@transaction.atomic
def user_reset(
    *,
    account_request: AccountRequest,
    actor: User,
    user: User,
    new_password: str | None = None,
    reset_totp: bool,
) -> User:
    """R7.2, R7.4: set a new password and/or reset the second factor (a lost device is reset only this way)."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.RESET, subject=user)
    if user.is_removed:
        _refuse("user", _("Tài khoản đã bị xóa bỏ / The account was removed"))
    if new_password and user.username == SYSTEM_USERNAME:
        _refuse("new_password", _("Tài khoản hệ thống không đăng nhập được / The system account never signs in"))
    if not new_password and not reset_totp:
        _refuse(
            "new_password",
            _("Cần mật khẩu mới hoặc đặt lại xác thực hai lớp / Give a new password or reset the second factor"),
        )
    if new_password:
        if reasons := _password_errors(new_password, user):
            raise ValidationError({"new_password": reasons})
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
    if reset_totp:
        _devices_delete(user)
    applied = {"password": bool(new_password), "totp": reset_totp}
    _request_done(request, subject=user, applied=applied)
    audit_record(actor=actor, action="account.reset", obj=user, changes={**applied, "request": request.pk})
    return user


def _devices_delete(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    BackupCodeBatch.objects.filter(user=user).delete()


@transaction.atomic
def user_remove(*, account_request: AccountRequest, actor: User, user: User) -> User:
    """R7.2: remove an account (soft): inactive, every role and token revoked; the record stays for the audit."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.REMOVE, subject=user)
    if user.is_removed:
        _refuse("user", _("Tài khoản đã bị xóa bỏ / The account was already removed"))
    _system_account_kept(user)
    _last_admin_check(user)
    user.is_removed, user.is_active = True, False
    user.save(update_fields=["is_removed", "is_active"])
    roles = _roles_end(user, request)
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=request
    )
    _devices_delete(user)
    applied = {"roles_revoked": roles, "tokens_revoked": tokens}
    _request_done(request, subject=user, applied=applied)
    audit_record(actor=actor, action="account.remove", obj=user, changes={**applied, "request": request.pk})
    return user


# --- bootstrap and provisioning ----------------------------------------------------------------------------


@transaction.atomic
def admin_bootstrap(
    *,
    document_no: str,
    document_date: dt.date,
    issuing_body: str,
    username: str,
    email: str,
    password: str,
    full_name: str,
) -> User:
    """R7.2: the first system administrator, on a bootstrap request; refused once any system administrator exists.

    The same request gives the system account (`SYSTEM_USERNAME`) its role, creating it when missing: it is the
    actor of this bootstrap and of every later setup command, demo generator and background process.
    """
    if human_admins_exist():
        _refuse(
            NON_FIELD_ERRORS,
            _("Đã có quản trị hệ thống; dùng văn bản đề nghị / A system administrator exists; use an account request"),
        )
    user = User(username=(username or "").strip(), full_name=(full_name or "").strip(), email=(email or "").strip())
    errors = _identity_errors(user, email_required=True)
    _add(errors, "password", *_password_errors(password, user))
    if errors:
        raise ValidationError(errors)
    system = system_user_get_or_create()
    request = account_request_record(
        kind=RequestKind.BOOTSTRAP,
        document_no=document_no,
        document_date=document_date,
        issuing_body=issuing_body,
        approver=None,
        requested_by=system,
        payload={"username": username, "system_account": SYSTEM_USERNAME},
    )
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    _role_add(user, role=Role.SYSTEM_ADMIN, agency=None, unit=None, request=request)
    system_granted = system_role_grant(system, request)
    _request_done(request, subject=user, applied={"username": user.username, "role": Role.SYSTEM_ADMIN})
    changes = {"request": request.pk, "system_account": SYSTEM_USERNAME, "system_role_granted": system_granted}
    audit_record(actor=system, action="account.bootstrap", obj=user, changes=changes)
    return user


RoleSpec = tuple[str, Agency | None, AdminUnit | None]


@transaction.atomic
def account_provision(
    *,
    document_no: str,
    document_date: dt.date,
    issuing_body: str,
    approver: User,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    password: str,
    roles: list[RoleSpec],
    agency: Agency | None = None,
) -> User:
    """R7.2: one document creating an account with its roles — one request recorded and applied per change."""

    def record(kind: str, subject: User | None, payload: dict[str, Any]) -> AccountRequest:
        return account_request_record(
            kind=kind,
            document_no=document_no,
            document_date=document_date,
            issuing_body=issuing_body,
            approver=approver,
            requested_by=actor,
            subject=subject,
            payload=payload,
        )

    request = record(RequestKind.CREATE, None, {"username": username})
    user = user_create(
        account_request=request,
        actor=actor,
        username=username,
        full_name=full_name,
        email=email,
        password=password,
        agency=agency,
    )
    for role, role_agency, unit in roles:
        grant = record(RequestKind.GRANT_ROLE, user, {"role": role})
        role_grant(account_request=grant, actor=actor, user=user, role=role, agency=role_agency, unit=unit)
    return user
