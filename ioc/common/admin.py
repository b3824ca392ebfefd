"""The admin's shared rules (DESIGN: the admin is read-only or calls services).

`ReadOnlyAdminMixin` makes a ModelAdmin or an inline read-only; every app's admin uses it. Third-party admin
pages that would write outside our services are removed (`third_party_admins_unregister`, run by
`CommonConfig.ready()` after every app's admin module is loaded): devices change only through account
requests (R7.2); Django groups are not used.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """No add, change or delete, on a ModelAdmin or an inline (put it before the admin class)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def third_party_admins_unregister() -> None:
    """Remove Django's group admin and the admins django-otp and django-axes register for themselves."""
    for model in [Group]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)

    try:  # django-otp and django-axes register their own admins; both write behind the services' back.
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover - both are hard dependencies
        pass
    else:
        for model in [TOTPDevice, StaticDevice, AccessAttempt, AccessLog, AccessFailureLog]:
            if admin.site.is_registered(model):
                admin.site.unregister(model)
