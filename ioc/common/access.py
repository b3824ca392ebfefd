"""The URL access-policy registry: every URL pattern declares who may reach it (DESIGN "Conventions").

Deny by default: a pattern without a policy answers 403 and fails `test_every_url_declares_a_policy`.
Pages are checked here by middleware; DRF views are checked by `PolicyPermission` after DRF has
authenticated the bearer token. Object scope (agency A's record seen by agency B) is applied by the
domain selectors; an `object_scoped` policy only documents that and is tested per pattern.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext as _

PolicyKind = Literal["public", "authenticated", "roles", "object", "token"]


@dataclass(frozen=True)
class Policy:
    """Who may call a URL. `roles` empty with kind `authenticated` means any signed-in account."""

    kind: PolicyKind
    roles: frozenset[str] = field(default_factory=frozenset)
    token_scopes: frozenset[str] = field(default_factory=frozenset)
    note: str = ""

    def allows(self, user: Any, token_scopes: Iterable[str] = ()) -> bool:
        if self.kind == "public":
            return True
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        if self.token_scopes and set(token_scopes) & self.token_scopes:
            return True
        if self.kind == "authenticated":
            return True
        user_roles: set[str] = set(getattr(user, "role_codes", set()))
        return bool(user_roles & self.roles)


PUBLIC = Policy("public")
AUTHENTICATED = Policy("authenticated")


def roles(*codes: str, token_scopes: Sequence[str] = ()) -> Policy:
    return Policy("roles", roles=frozenset(codes), token_scopes=frozenset(token_scopes))


def object_scoped(*codes: str, note: str, token_scopes: Sequence[str] = ()) -> Policy:
    """Reachable by these roles; the selector then limits the object to the user's scope."""
    return Policy("object", roles=frozenset(codes), token_scopes=frozenset(token_scopes), note=note)


def token(*scopes: str) -> Policy:
    return Policy("token", token_scopes=frozenset(scopes))


def _mark(view: Callable[..., HttpResponseBase], policy: Policy) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, *args, **kwargs)

    guarded.ioc_policy = policy  # type: ignore[attr-defined]
    return guarded


def route(
    pattern: str, view: Callable[..., HttpResponseBase], *, policy: Policy, name: str | None = None, regex: bool = False
) -> URLPattern:
    """`path()` with a declared access policy."""
    maker = re_path if regex else path
    return maker(pattern, _mark(view, policy), name=name)


def guard_patterns(patterns: Sequence[URLPattern | URLResolver], policy: Policy) -> list[URLPattern | URLResolver]:
    """Give every pattern in an included list (the admin site, say) one policy."""
    for item in patterns:
        if isinstance(item, URLPattern):
            item.callback = _mark(item.callback, policy)
        else:
            guard_patterns(item.url_patterns, policy)
    return list(patterns)


def policy_of(view: Any) -> Policy | None:
    return getattr(view, "ioc_policy", None)


def _is_api_view(view: Any) -> bool:
    from rest_framework.views import APIView  # late: DRF's settings import this module

    cls = getattr(view, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


def denied_response(request: HttpRequest) -> HttpResponse:
    """401/redirect for an anonymous caller, 403 for a signed-in one; JSON under /api/."""
    anonymous = not request.user.is_authenticated
    if request.path.startswith("/api/"):
        from ioc.common.errors import error_body

        status = 401 if anonymous else 403
        message = _("Cần đăng nhập / Authentication required") if anonymous else _("Không có quyền / Forbidden")
        return JsonResponse(
            error_body(request, "not_authenticated" if anonymous else "forbidden", message), status=status
        )
    if anonymous:
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
    return render(request, "web/forbidden.html", status=403)


class AccessPolicyMiddleware:
    """Enforces the declared policy of page views; API views are left to `PolicyPermission`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if _is_api_view(view_func):
            return None
        policy = policy_of(view_func)
        if policy is None:
            return render(request, "web/forbidden.html", status=403)
        if policy.allows(request.user):
            return None
        return denied_response(request)


def iter_patterns(patterns: Sequence[URLPattern | URLResolver], prefix: str = "") -> Iterable[tuple[str, URLPattern]]:
    """Every concrete pattern with its full route (used by the registry test and the docs)."""
    for item in patterns:
        if isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item
        else:
            yield from iter_patterns(item.url_patterns, prefix + str(item.pattern))
