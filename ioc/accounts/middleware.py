"""Session expiry and the second factor (R7.4)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from ioc.accounts.choices import STAFF_ROLES, Role

SESSION_STARTED = "ioc_started"
SESSION_SEEN = "ioc_seen"
SESSION_EXPIRED = "ioc_expired"
BACKGROUND_HEADER = "HTTP_X_IOC_BACKGROUND"


def _limits(user: object) -> tuple[int, int]:
    """(idle, absolute) seconds; a display screen keeps its session 7 days."""
    if Role.DISPLAY_SCREEN in getattr(user, "role_codes", frozenset()):
        return settings.SESSION_DISPLAY_SECONDS, settings.SESSION_DISPLAY_SECONDS
    return settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS


def session_mark_started(request: HttpRequest, now: float | None = None) -> None:
    """Called at sign-in (user_logged_in): both clocks start now."""
    now = time.time() if now is None else now
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionExpiryMiddleware:
    """Idle and absolute expiry; background polling (`X-IOC-Background: 1`) never extends idle time.

    The idle clock is written at most once per `SESSION_SEEN_WRITE_SECONDS` (a modified session is a database
    write): the map's layer and tile requests and other polling that does not send the background header would
    otherwise write the session row on every call. Idle expiry is then early by at most that many seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            idle, absolute = _limits(user)
            started = float(request.session.get(SESSION_STARTED, now))
            seen = float(request.session.get(SESSION_SEEN, now))
            if now - seen > idle or now - started > absolute:
                logout(request)
                request.session[SESSION_EXPIRED] = True
            else:
                request.session.setdefault(SESSION_STARTED, now)
                if request.META.get(BACKGROUND_HEADER) != "1" and (
                    SESSION_SEEN not in request.session or now - seen >= settings.SESSION_SEEN_WRITE_SECONDS
                ):
                    request.session[SESSION_SEEN] = now
        return self.get_response(request)


# Paths a staff member may reach before the second factor is verified. The API is guarded by
# OtpSessionAuthentication (session) or needs no second factor (bearer token); Open311 and /sta/ take tokens.
_OTP_EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics", "/i18n/", "/api/", "/open311/", "/sta/")
_OTP_EXEMPT_VIEWS = ("accounts:login", "accounts:logout", "accounts:second_factor", "accounts:totp_enrol")


def _exempt_paths() -> frozenset[str]:
    paths = set()
    for name in _OTP_EXEMPT_VIEWS:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:  # a test's own URL map without the account pages
            continue
    return frozenset(paths)


def otp_pending(user: Any) -> bool:
    """A signed-in staff account whose session has not passed the second factor (R7.4)."""
    return bool(
        user.is_authenticated
        and getattr(user, "role_codes", frozenset()) & STAFF_ROLES
        and not (callable(getattr(user, "is_verified", None)) and user.is_verified())
    )


class SecondFactorMiddleware:
    """A staff account must enrol and then verify TOTP before reaching any page (R7.4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.path.startswith(_OTP_EXEMPT_PREFIXES)
            and request.path not in _exempt_paths()
            and otp_pending(request.user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:second_factor')}?{query}")
        return self.get_response(request)
