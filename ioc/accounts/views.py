"""Account pages: sign-in, second factor, sign-out (R7.4). Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when an account or address is locked out after repeated failures."""
    return render(request, "accounts/locked.html", status=429)
