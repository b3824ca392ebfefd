"""One change from the administrator's page: record the request and apply it, all or nothing (R7.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.choices import RequestKind
from ioc.accounts.models import AccountRequest, ApiToken, User
from ioc.accounts.services.accounts import (
    role_grant,
    role_revoke,
    user_create,
    user_lock,
    user_remove,
    user_reset,
    user_unlock,
)
from ioc.accounts.services.requests import (
    _actor_check,
    _refuse,
    account_request_record,
)
from ioc.accounts.services.systems import token_issue, token_revoke
from ioc.agencies.models import Agency
from ioc.geo.models import AdminUnit

# --- one change from the administrator's page --------------------------------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    """What one applied request produced; `token_value` is shown once and never stored."""

    request: AccountRequest
    user: User | None = None
    token: ApiToken | None = None
    token_value: str = ""


@transaction.atomic
def account_change_submit(
    *,
    kind: str,
    document_no: str,
    document_date: dt.date,
    issuing_body: str,
    approver: User | None,
    actor: User,
    change: Mapping[str, Any],
    scan: Any = None,
) -> ChangeResult:
    """R7.2: record a request and apply its one change in the same transaction (all or nothing)."""
    _actor_check(actor)
    apply = _APPLIERS.get(kind)
    if apply is None:
        _refuse("kind", _("Loại yêu cầu không hợp lệ / Unknown request kind"))
    subject = change.get("user") if isinstance(change.get("user"), User) else None
    request = account_request_record(
        kind=kind,
        document_no=document_no,
        document_date=document_date,
        issuing_body=issuing_body,
        approver=approver,
        requested_by=actor,
        subject=subject,
        payload=_payload_of(change),
        scan=scan,
    )
    try:
        return apply(request, actor, change)
    except BaseException:
        if request.scan and request.scan.name:  # the transaction rolls back; the stored file must go too
            request.scan.storage.delete(request.scan.name)
        raise


def _payload_of(change: Mapping[str, Any]) -> dict[str, Any]:
    """The change as plain JSON for the request record (never a password)."""
    out: dict[str, Any] = {}
    for key, value in change.items():
        if key in {"password", "new_password"} or value in (None, "", [], False):
            continue
        if isinstance(value, User):
            out[key] = value.username
        elif isinstance(value, Agency | AdminUnit):
            out[key] = value.code
        elif isinstance(value, ApiToken):
            out[key] = value.prefix
        elif isinstance(value, dt.date | dt.datetime):
            out[key] = value.isoformat()
        else:
            out[key] = value if isinstance(value, str | int | bool | list) else str(value)
    return out


def _need(change: Mapping[str, Any], key: str) -> Any:
    value = change.get(key)
    if value in (None, "", []):
        _refuse(key, _("Trường này là bắt buộc với loại yêu cầu đã chọn / Required for this kind of request"))
    return value


def _apply_create(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
    user = user_create(
        account_request=request,
        actor=actor,
        username=change.get("username") or "",
        full_name=change.get("full_name") or "",
        email=change.get("email") or "",
        password=change.get("password") or "",
        agency=change.get("agency"),
        phone=change.get("phone") or "",
    )
    return ChangeResult(request=request, user=user)


def _apply_grant(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
    user = _need(change, "user")
    role = _need(change, "role")
    role_grant(
        account_request=request,
        actor=actor,
        user=user,
        role=role,
        agency=change.get("agency"),
        unit=change.get("unit"),
    )
    return ChangeResult(request=request, user=user)


def _apply_revoke(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
    user = _need(change, "user")
    role_revoke(account_request=request, actor=actor, user=user, role=_need(change, "role"))
    return ChangeResult(request=request, user=user)


def _apply_user_only(
    service: Callable[..., User],
) -> Callable[[AccountRequest, User, Mapping[str, Any]], ChangeResult]:
    def apply(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
        return ChangeResult(
            request=request, user=service(account_request=request, actor=actor, user=_need(change, "user"))
        )

    return apply


def _apply_reset(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
    user = user_reset(
        account_request=request,
        actor=actor,
        user=_need(change, "user"),
        new_password=change.get("new_password") or None,
        reset_totp=bool(change.get("reset_totp")),
    )
    return ChangeResult(request=request, user=user)


def _apply_issue(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
    user = _need(change, "user")
    token, value = token_issue(
        account_request=request,
        actor=actor,
        user=user,
        scopes=list(change.get("scopes") or []),
        expires_at=_need(change, "expires_at"),
        label=change.get("label") or "",
    )
    return ChangeResult(request=request, user=user, token=token, token_value=value)


def _apply_revoke_token(request: AccountRequest, actor: User, change: Mapping[str, Any]) -> ChangeResult:
    token = token_revoke(account_request=request, actor=actor, token=_need(change, "token"))
    return ChangeResult(request=request, user=token.user, token=token)


_APPLIERS: dict[str, Callable[[AccountRequest, User, Mapping[str, Any]], ChangeResult]] = {
    RequestKind.CREATE: _apply_create,
    RequestKind.GRANT_ROLE: _apply_grant,
    RequestKind.REVOKE_ROLE: _apply_revoke,
    RequestKind.LOCK: _apply_user_only(user_lock),
    RequestKind.UNLOCK: _apply_user_only(user_unlock),
    RequestKind.RESET: _apply_reset,
    RequestKind.REMOVE: _apply_user_only(user_remove),
    RequestKind.ISSUE_TOKEN: _apply_issue,
    RequestKind.REVOKE_TOKEN: _apply_revoke_token,
}
