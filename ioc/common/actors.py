"""The system account for the layers below `accounts` (R7.3: every write has a real actor).

`accounts` registers its selector when Django starts (the dependency is inverted), so a command of a lower
layer, such as `geo_load`, acts as the system account without importing `accounts`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # a type only: import-linter ignores TYPE_CHECKING imports (pyproject.toml)
    from ioc.accounts.models import User

_provider: list[Callable[[], User]] = []


def system_actor_provider_set(provider: Callable[[], User]) -> None:
    """Called once by `ioc.accounts` at start-up."""
    _provider[:] = [provider]


def system_actor() -> User:
    """The system account (`accounts.selectors.system_account()`); a clear error when it is missing."""
    if not _provider:
        raise ImproperlyConfigured("ioc.accounts has not registered the system account (is it installed?)")
    return _provider[0]()
