"""DRF authentication (DESIGN "Tokens"): one class for `Authorization: Bearer <token>` everywhere, and
session authentication that refuses a staff session which has not passed the second factor (R7.4)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.request import Request

from ioc.accounts import selectors, services
from ioc.accounts.middleware import otp_pending
from ioc.accounts.signals import token_refused
from ioc.accounts.tokens import token_split
from ioc.common.middleware import client_address
from ioc.common.ratelimit import address_identity, rate_limit_hits, rate_limit_rule


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Mã truy cập không đúng định dạng / Malformed bearer token")
        try:
            value = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Mã truy cập không đúng định dạng / Malformed bearer token") from None
        try:
            return self.authenticate_value(value)
        except exceptions.AuthenticationFailed as refused:
            address = _failure_count(request)
            split = token_split(value)
            token_refused.send(
                sender=BearerTokenAuthentication,
                address=address,
                reason=str(refused.detail),
                prefix=split[0] if split else "",
                path=request._request.path[:200],
            )
            raise

    def authenticate_value(self, value: str) -> tuple[Any, Any]:
        found = selectors.token_resolve(value=value)
        if found.error:
            raise exceptions.AuthenticationFailed(found.error)
        assert found.token is not None
        services.token_mark_used(token=found.token)
        return found.token.user, found.token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="ioc"'


def _failure_count(request: Request) -> str:
    """R7.4, issue 16 part 5: wrong bearer tokens are counted per client address (`api.token_fail.addr` in
    ioc.common.ratelimit); past the limit the answer is 429 with Retry-After instead of 401. Returns the client's
    address while under the limit."""
    address = client_address(request._request)
    decision = rate_limit_hits([rate_limit_rule("api.token_fail.addr", identity=address_identity(address))])
    if not decision.allowed:
        raise exceptions.Throttled(wait=decision.retry_after)
    return address


class OtpSessionAuthentication(SessionAuthentication):
    """Session authentication that treats a staff session without a verified second factor as anonymous."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None or otp_pending(result[0]):
            return None
        return result
