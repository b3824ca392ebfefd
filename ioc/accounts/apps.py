from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest


class AccountsConfig(AppConfig):
    name = "ioc.accounts"
    label = "accounts"
    verbose_name = "Tài khoản / Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ioc.accounts import schema  # noqa: F401 - registers the OpenAPI authentication extensions
        from ioc.accounts.selectors import system_account
        from ioc.common.actors import system_actor_provider_set

        system_actor_provider_set(system_account)

        user_logged_in.connect(_session_start, dispatch_uid="ioc.accounts.session_start")


def _session_start(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """R7.4: idle and absolute session clocks start at sign-in."""
    from ioc.accounts.middleware import session_mark_started

    if request is not None and hasattr(request, "session"):
        session_mark_started(request)
