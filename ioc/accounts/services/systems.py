"""Information-system service accounts, their tokens, and display screens (DESIGN "Tokens", R7.4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import RequestKind, Role, scope_is_known
from ioc.accounts.models import AccountRequest, ApiToken, DisplayScreen, User
from ioc.accounts.services.accounts import _identity_errors, _password_errors, _role_add
from ioc.accounts.services.requests import (
    Errors,
    _actor_check,
    _add,
    _refuse,
    _request_done,
    _request_take,
)
from ioc.accounts.tokens import token_generate
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import InformationSystem
from ioc.audit.services import audit_record

# --- information systems, tokens, display screens ----------------------------------------------------------


@transaction.atomic
def service_account_create(*, account_request: AccountRequest, actor: User, system: InformationSystem) -> User:
    """DESIGN "Tokens": the service account an information system acts through (role information_system)."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.CREATE)
    if system.service_user_id is not None:
        _refuse("system", _("Hệ thống đã có tài khoản / The information system already has an account"))
    user = User(username=f"he-thong-{system.code}"[:150], full_name=system.name[:150], agency=system.agency)
    user.is_service_account = True
    if User.objects.filter(username__iexact=user.username).exists():
        _refuse("system", _("Tên tài khoản hệ thống đã tồn tại / The service account name is taken"))
    user.set_unusable_password()
    user.save()
    _role_add(user, role=Role.INFORMATION_SYSTEM, agency=system.agency, unit=None, request=request)
    system.service_user = user
    system.save(update_fields=["service_user"])
    agency_selectors.SYSTEMS_BY_USER.changed()
    applied = {"username": user.username, "system": system.code}
    _request_done(request, subject=user, applied=applied)
    audit_record(actor=actor, action="account.service_create", obj=user, changes={**applied, "request": request.pk})
    return user


@transaction.atomic
def token_issue(
    *,
    account_request: AccountRequest,
    actor: User,
    user: User,
    scopes: list[str],
    expires_at: dt.datetime,
    label: str = "",
) -> tuple[ApiToken, str]:
    """DESIGN "Tokens": issue a scoped, expiring token to a service account; its value is returned once."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.ISSUE_TOKEN, subject=user)
    clean = list(dict.fromkeys(s.strip() for s in scopes if isinstance(s, str) and s.strip()))
    errors = _token_errors(user, scopes, clean, expires_at, label)
    if errors:
        raise ValidationError(errors)
    value, prefix, digest = token_generate()
    token = ApiToken.objects.create(
        user=user,
        prefix=prefix,
        digest=digest,
        scopes=clean,
        label=label.strip(),
        expires_at=expires_at,
        issued_by=request,
    )
    applied = {"prefix": prefix, "scopes": clean, "expires_at": expires_at.isoformat()}
    _request_done(request, subject=user, applied=applied)
    audit_record(actor=actor, action="token.issue", obj=token, changes={**applied, "request": request.pk})
    return token, value


def _token_errors(user: User, scopes: Any, clean: list[str], expires_at: Any, label: str) -> Errors:
    errors: Errors = {}
    if not user.is_service_account or not user.is_active or user.is_removed:
        _add(errors, "user", _("Chỉ cấp mã cho tài khoản hệ thống đang hoạt động / Only active service accounts"))
    if not isinstance(scopes, list | tuple) or not clean:
        _add(errors, "scopes", _("Cần ít nhất một phạm vi / At least one scope is required"))
    for scope in clean:
        if not scope_is_known(scope):
            _add(errors, "scopes", _("Phạm vi không hợp lệ: %(scope)s / Unknown scope") % {"scope": scope})
    if not isinstance(expires_at, dt.datetime) or timezone.is_naive(expires_at):
        _add(errors, "expires_at", _("Cần thời điểm hết hạn / An expiry time is required"))
    elif expires_at <= timezone.now():
        _add(errors, "expires_at", _("Thời điểm hết hạn phải ở tương lai / The expiry must be in the future"))
    if len(label or "") > 120:
        _add(errors, "label", _("Nhãn quá dài (tối đa 120 ký tự) / Label too long (120 max)"))
    return errors


def token_mark_used(*, token: ApiToken) -> None:
    """DESIGN "Tokens": note when a token was last used, at most once a minute.

    A usage timestamp for monitoring, not a change of rights: it is not audited (every API call would be).
    """
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def token_revoke(*, account_request: AccountRequest, actor: User, token: ApiToken) -> ApiToken:
    """DESIGN "Tokens": revoke a token on a `revoke_token` request."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.REVOKE_TOKEN, subject=token.user)
    if token.revoked_at is not None:
        _refuse("token", _("Mã truy cập đã bị thu hồi / The token is already revoked"))
    token.revoked_at, token.revoked_by = timezone.now(), request
    token.save(update_fields=["revoked_at", "revoked_by"])
    _request_done(request, subject=token.user, applied={"prefix": token.prefix})
    audit_record(actor=actor, action="token.revoke", obj=token, changes={"prefix": token.prefix, "request": request.pk})
    return token


@transaction.atomic
def display_screen_register(
    *,
    account_request: AccountRequest,
    actor: User,
    code: str,
    name: str,
    location: str,
    password: str | None = None,
) -> tuple[DisplayScreen, User]:
    """R7.4: register a wall screen and its display account (read-only overview; 7-day session)."""
    _actor_check(actor)
    request = _request_take(account_request, RequestKind.CREATE)
    user = User(username=f"man-hinh-{(code or '').strip()}", full_name=(name or "").strip()[:150])
    errors = _screen_errors(code, name, location)
    if not errors:
        errors = _identity_errors(user, email_required=False)
    if password:
        _add(errors, "password", *_password_errors(password, user))
    if errors:
        raise ValidationError(errors)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    screen = DisplayScreen.objects.create(code=code.strip(), name=name.strip(), location=location.strip(), user=user)
    _role_add(user, role=Role.DISPLAY_SCREEN, agency=None, unit=None, request=request)
    applied = {"screen": screen.code, "username": user.username}
    _request_done(request, subject=user, applied=applied)
    audit_record(actor=actor, action="display_screen.register", obj=screen, changes={**applied, "request": request.pk})
    return screen, user


def _screen_errors(code: str, name: str, location: str) -> Errors:
    errors: Errors = {}
    try:
        validate_slug((code or "").strip())
    except ValidationError:
        _add(errors, "code", _("Mã màn hình chỉ gồm chữ không dấu, số, gạch / Use letters, digits and dashes"))
    if len((code or "").strip()) > 60:
        _add(errors, "code", _("Mã màn hình quá dài / Screen code too long"))
    elif DisplayScreen.objects.filter(code=(code or "").strip()).exists():
        _add(errors, "code", _("Mã màn hình đã tồn tại / The screen code is taken"))
    if not (name or "").strip() or len(name.strip()) > 120:
        _add(errors, "name", _("Cần tên màn hình (tối đa 120 ký tự) / A screen name is required (120 max)"))
    if len((location or "").strip()) > 200:
        _add(errors, "location", _("Vị trí quá dài / Location too long"))
    return errors
