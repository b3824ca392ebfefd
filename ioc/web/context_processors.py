"""What every page's shell needs: the profile's locality, the user's roles, the navigation.

Everything is lazy: a page that never shows the shell (a JSON answer, the display screen) pays nothing for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ioc.accounts.choices import STAFF_ROLES, Role
from ioc.web.navigation import nav_items
from ioc.web.selectors import locality_name


def _roles(request: HttpRequest) -> frozenset[str]:
    user = getattr(request, "user", None)
    return frozenset(getattr(user, "role_codes", ())) if user is not None else frozenset()


def _nav_roles(request: HttpRequest) -> frozenset[str]:
    """No navigation before a staff account has passed its second factor (the pages would only redirect)."""
    roles = _roles(request)
    verified = getattr(request.user, "is_verified", None)
    if roles & STAFF_ROLES and not (callable(verified) and verified()):
        return frozenset()
    return roles


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "ioc_profile": settings.IOC_PROFILE,
        "ioc_locality": SimpleLazyObject(lambda: locality_name(profile=settings.IOC_PROFILE)),
        "ioc_roles": SimpleLazyObject(lambda: sorted(_roles(request))),
        "ioc_role_labels": SimpleLazyObject(
            lambda: [str(Role(code).label) for code in sorted(_roles(request)) if code in Role.values]
        ),
        "ioc_nav": SimpleLazyObject(lambda: nav_items(roles=_nav_roles(request), path=request.path)),
    }
