"""What the services of the online-information watch share: who configures it, the clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ioc.common.roles import Role

# R5.7: the administrator sets sources, topics and watch lists, and grants who may see a watch list.
CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN})


def now() -> dt.datetime:
    return timezone.now()
