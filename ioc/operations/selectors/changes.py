"""R10.2: reads of the changes — the list and one change (IOC staff, the managing body, the administrator and the
agencies asked for consent), their consents, those whose approved window runs now (the banner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from ioc.operations.choices import CHANGE_WINDOW_STATES, ChangeState
from ioc.operations.models import Change, ChangeConsent, DeploymentRecord

WINDOWS_KEY = "operations:change-windows"


@dataclass(frozen=True)
class Window:
    """An approved change's window as the banner shows it (kept in the shared cache, no query per page)."""

    pk: int
    title: str
    window_start: dt.datetime
    window_end: dt.datetime


def changes_running(*, now: dt.datetime) -> list[Change]:
    """R10.2: approved or started changes whose window covers `now`."""
    running = Change.objects.filter(state__in=CHANGE_WINDOW_STATES, window_start__lte=now, window_end__gt=now)
    return list(running.order_by("window_start")[:3])


def windows_upcoming(*, now: dt.datetime) -> list[Window]:
    """R10.2: the approved windows not yet over (what the cache holds; `services.change_windows_refresh`)."""
    rows = Change.objects.filter(state__in=CHANGE_WINDOW_STATES, window_end__gt=now).order_by("window_start")
    return [Window(c.pk, c.title, c.window_start, c.window_end) for c in rows[:20]]


def banner_windows(*, now: dt.datetime) -> list[Window]:
    """R10.2: the windows running at `now`, from the shared cache only (no database query on every page; the
    change services and a per-minute task keep it)."""
    cached: list[Window] = cache.get(WINDOWS_KEY) or []
    return [w for w in cached if w.window_start <= now < w.window_end][:3]


def change_list(*, user: Any) -> QuerySet[Change]:
    """R10.2: changes of the IOC's systems are no secret to the people the pages admit (IOC staff, the
    administrator, agencies' officers and heads: their consent may be asked); writes check their own rights."""
    return Change.objects.select_related("requested_by", "decided_by").order_by("-window_start", "-pk")


def change_get_for(*, user: Any, pk: int) -> Change:
    found = change_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def change_consents(*, change: Change) -> QuerySet[ChangeConsent]:
    return ChangeConsent.objects.filter(change=change).select_related("agency", "decided_by").order_by("agency__name")


def changes_pending(*, user: Any) -> QuerySet[Change]:
    return change_list(user=user).filter(state=ChangeState.REQUESTED)


def deployments_recent(*, limit: int = 10) -> list[DeploymentRecord]:
    return list(DeploymentRecord.objects.select_related("change").order_by("-seen_at", "-pk")[:limit])
