"""What every page's shell needs: the profile, the user's roles, the navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "ioc_profile": settings.IOC_PROFILE,
        "ioc_roles": sorted(getattr(user, "role_codes", ())) if user is not None else [],
    }
