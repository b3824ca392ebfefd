"""One DRF authentication class for `Authorization: Bearer <token>` everywhere (DESIGN "Tokens")."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from ioc.accounts import selectors


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Mã truy cập không đúng định dạng / Malformed bearer token")
        return self.authenticate_value(parts[1].decode("latin-1"))

    def authenticate_value(self, value: str) -> tuple[Any, Any]:
        found = selectors.token_resolve(value=value)
        if found.error:
            raise exceptions.AuthenticationFailed(found.error)
        assert found.token is not None
        return found.token.user, found.token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="ioc"'
