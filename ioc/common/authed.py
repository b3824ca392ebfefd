"""Typed requests for views behind an authenticated access policy (`ioc.common.access`).

The policy has already refused anonymous visitors, so `request.user` is an account: views declare
`request: AuthedRequest` (pages) or `request: AuthedApiRequest` (DRF) and pass `actor=request.user` to a service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:  # a type only: import-linter ignores TYPE_CHECKING imports (pyproject.toml)
    from ioc.accounts.models import User


class AuthedRequest(HttpRequest):
    """A page request whose user is a signed-in account (AUTHENTICATED, roles(…) or object_scoped(…) policy)."""

    user: User


class AuthedApiRequest(Request):
    """An API request whose user is an account (a person's session or an information system's token)."""

    user: User


def request_account(request: HttpRequest) -> User:
    """The account behind a request that an authenticated policy or the admin site let through (where the
    signature cannot say `AuthedRequest`, e.g. a ModelAdmin hook); PermissionDenied for an anonymous visitor."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
