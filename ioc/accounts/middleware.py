"""Session expiry and the second factor (R7.4)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ioc.accounts.choices import STAFF_ROLES, Role

SESSION_STARTED = "ioc_started"
SESSION_SEEN = "ioc_seen"
BACKGROUND_HEADER = "HTTP_X_IOC_BACKGROUND"


def _limits(user: object) -> tuple[int, int]:
    """(idle, absolute) seconds; a display screen keeps its session 7 days."""
    if Role.DISPLAY_SCREEN in getattr(user, "role_codes", frozenset()):
        return settings.SESSION_DISPLAY_SECONDS, settings.SESSION_DISPLAY_SECONDS
    return settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS


class SessionExpiryMiddleware:
    """Idle and absolute expiry; background polling (`X-IOC-Background: 1`) never extends idle time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            idle, absolute = _limits(user)
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if now - seen > idle or now - started > absolute:
                logout(request)
                request.session["ioc_expired"] = True
            else:
                request.session.setdefault(SESSION_STARTED, now)
                if request.META.get(BACKGROUND_HEADER) != "1":
                    request.session[SESSION_SEEN] = now
        return self.get_response(request)


# Paths a staff member may reach before the second factor is verified.
_OTP_EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics", "/i18n/", "/tai-khoan/", "/open311/", "/api/")


class SecondFactorMiddleware:
    """A staff account must enrol and then verify TOTP before reaching any page (R7.4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
            and getattr(user, "role_codes", frozenset()) & STAFF_ROLES
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
        ):
            return redirect(reverse("accounts:second_factor") + f"?next={request.path}")
        return self.get_response(request)
