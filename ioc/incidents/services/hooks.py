"""After-commit hooks on new alerts (R4.6): apps above incidents (operating scenarios) register a callable that is
called with the id of every new alert once the transaction that raised it commits. Incidents never imports them:
they register here from their AppConfig.ready (the dependency inverted, DESIGN "Layers")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.db import transaction

from ioc.accounts.choices import SYSTEM_USERNAME
from ioc.accounts.models import User
from ioc.common.roles import Role, actor_has_role

logger = logging.getLogger(__name__)

AlertHook = Callable[[int], object]
_ALERT_HOOKS: dict[str, AlertHook] = {}


def alert_hook_register(name: str, hook: AlertHook) -> None:
    """Register (or replace) the hook `name`; it gets the new alert's id after commit."""
    _ALERT_HOOKS[name] = hook


def _run(alert_id: int) -> None:
    for name, hook in list(_ALERT_HOOKS.items()):
        try:
            hook(alert_id)
        except Exception:  # a hook's failure never undoes the alert; its own sweep catches up
            logger.exception("alert hook %s failed for alert %s", name, alert_id)


def alert_hooks_schedule(alert_id: int) -> None:
    """Called by `alert_receive` for a new alert: run every hook once the caller's transaction commits."""
    if _ALERT_HOOKS:
        transaction.on_commit(partial(_run, alert_id))


def _run_many(alert_ids: list[int]) -> None:
    for alert_id in alert_ids:
        _run(alert_id)


def alert_hooks_schedule_many(alert_ids: list[int]) -> None:
    """`alert_hooks_schedule` for a burst's new alerts (issue 14 "Speed"): one after-commit callback running every
    hook for each, in order; each hook still gets one id at a time."""
    if _ALERT_HOOKS and alert_ids:
        transaction.on_commit(partial(_run_many, list(alert_ids)))


def is_system_account(actor: User | None) -> bool:
    """The IOC's own account (background work acting for an operating scenario, R4.6)."""
    return actor_has_role(actor, [Role.SYSTEM_ADMIN]) and getattr(actor, "username", "") == SYSTEM_USERNAME
