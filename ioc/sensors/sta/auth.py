"""Who calls /sta/ (DESIGN "Tokens", R5.5): `Authorization: Bearer <token>`, or HTTP Basic with the token as the
password (any user name; for /sta/ only), else the signed-in session, else anonymous."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ioc.accounts.selectors import token_resolve
from ioc.accounts.services import token_mark_used

WRITE_SCOPE = "sta.write"


class AuthError(Exception):
    """A credential that was sent but is malformed, unknown, revoked or expired: 401."""


@dataclass(frozen=True)
class Caller:
    user: Any | None
    scopes: frozenset[str] = frozenset()

    @property
    def can_write(self) -> bool:
        return self.user is not None and WRITE_SCOPE in self.scopes


def _token_value(header: str) -> str | None:
    scheme, _, value = header.strip().partition(" ")
    scheme, value = scheme.lower(), value.strip()
    if scheme == "bearer":
        return value
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthError("Basic không đúng định dạng / Malformed Basic credentials") from None
        _user, sep, password = decoded.partition(":")
        if not sep or not password:
            raise AuthError("Basic cần mã truy cập làm mật khẩu / Basic needs the token as the password")
        return password
    return None


def caller_of(request: HttpRequest) -> Caller:
    header = request.headers.get("Authorization", "")
    value = _token_value(header) if header else None
    if value is not None:
        found = token_resolve(value=value)
        if found.error or found.token is None:
            raise AuthError(found.error or "Mã truy cập không hợp lệ / Invalid token")
        token_mark_used(token=found.token)
        return Caller(found.token.user, frozenset(found.token.scopes or []))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Caller(user)
    return Caller(None)
