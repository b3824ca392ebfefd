"""DESIGN "Map hooks", R7.1: the one shape of an entry of the operator's single work queue.

Every domain app's `<app>_work_items(*, user)` returns a list of `WorkItem`; `ioc.web.selectors` merges them and
sorts them by `urgency_key` (overdue → at risk → new severe alerts → the rest, each oldest first).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q

from ioc.common.choices import is_severe

OVERDUE = "overdue"
AT_RISK = "at_risk"
ON_TRACK = "on_track"

# Urgency bands, most urgent first (R7.1: what a night-shift operator does first).
URGENCY_OVERDUE = 0
URGENCY_AT_RISK = 1
URGENCY_SEVERE = 2
URGENCY_OTHER = 3
URGENCY_BANDS = (URGENCY_OVERDUE, URGENCY_AT_RISK, URGENCY_SEVERE, URGENCY_OTHER)


@dataclass(frozen=True)
class WorkItem:
    """R7.1: one thing to do. `source` is the app label (the queue's "kind" filter); `kind` the action within it
    (verify, forward, assignment, remind…); `at` when the work appeared (its age); `due_at` its deadline, if any;
    `state` the deadline state (`overdue`, `at_risk`, `on_track` or empty); `severity` 1–5 on the common scale (0:
    none); `loud` a severe alert nobody has acknowledged yet (it sounds and stays highlighted, R4.2).
    Reads as a mapping too (`item["kind"]`), for the callers written against the first dict-shaped items."""

    source: str
    kind: str
    title: str
    url: str
    at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    state: str = ""
    status: str = ""
    severity: int = 0
    code: str = ""
    object_id: int | None = None
    agency_id: int | None = None
    agency: str = ""
    commune_id: int | None = None
    commune: str = ""
    loud: bool = False

    def __str__(self) -> str:
        return self.title

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def urgency(self, now: dt.datetime) -> int:
        """The item's band: overdue (state, or a due time passed), at risk, a new severe alert, the rest."""
        if self.state == OVERDUE or (self.due_at is not None and self.due_at < now):
            return URGENCY_OVERDUE
        if self.state == AT_RISK:
            return URGENCY_AT_RISK
        if is_severe(self.severity) and self.kind == "verify":
            return URGENCY_SEVERE
        return URGENCY_OTHER

    def age(self, now: dt.datetime) -> dt.timedelta | None:
        """How long the work has waited (None when the source gives no start time)."""
        return now - self.at if self.at is not None else None


@dataclass(frozen=True)
class WorkFilter:
    """R7.1 (issue 20): the queue's agency and commune filters, handed to each source as the keyword argument
    `where` (`<app>_work_items(*, user, where: WorkFilter | None = None)`) so that a source applies them in SQL
    before its own LIMIT, not after it. A source without `where` is still asked (without it) and filtered here."""

    agency_id: int | None = None
    commune_id: int | None = None

    def __bool__(self) -> bool:
        return self.agency_id is not None or self.commune_id is not None

    def admits(self, item: WorkItem) -> bool:
        """The same test as SQL's, on a finished item: an item without an agency (or commune) does not match."""
        agency_ok = self.agency_id is None or item.agency_id == self.agency_id
        return agency_ok and (self.commune_id is None or item.commune_id == self.commune_id)

    def q(self, *, agency: str | None, commune: str | None) -> Q | None:
        """The filter over a source's rows (`agency`/`commune`: its field names, None where it has none), or None
        when nothing of the source can match (a filter on a field the source lacks)."""
        condition = Q()
        for value, name in ((self.agency_id, agency), (self.commune_id, commune)):
            if value is None:
                continue
            if name is None:
                return None
            condition &= Q(**{name: value})
        return condition


def urgency_key(item: WorkItem, now: dt.datetime) -> tuple[int, int, float, str]:
    """Sort key: band, then (severe alerts) higher severity, then the earliest deadline or the oldest item."""
    band = item.urgency(now)
    moment = item.due_at if band in (URGENCY_OVERDUE, URGENCY_AT_RISK) and item.due_at else item.at
    stamp = moment.timestamp() if moment is not None else float("inf")
    return (band, -item.severity if band == URGENCY_SEVERE else 0, stamp, item.title)


# Apps that never feed the queue: the foundation and the top layer.
NOT_SOURCES = frozenset(
    {"common", "geo", "agencies", "accounts", "audit", "notifications", "worktime", "web", "demo", "duty"}
)


def work_item_providers() -> list[tuple[str, Callable[..., list[WorkItem]]]]:
    """Every installed app's `<label>_work_items(*, user)` (found at run time, so `common` imports no app); looked
    up once per process and installed apps (issue 20 "Speed": an import and a signature per source each request)."""
    return [(label, provider) for label, provider, _filters in _providers(_installed())]


def _installed() -> tuple[str, ...]:
    return tuple(config.name for config in apps.get_app_configs())


@functools.cache
def _providers(installed: tuple[str, ...]) -> tuple[tuple[str, Callable[..., list[WorkItem]], bool], ...]:
    # Keyed by the installed apps, so a test that changes INSTALLED_APPS still sees its own sources.
    return tuple((label, provider, takes_where(provider)) for label, provider in _find_providers())


def _find_providers() -> list[tuple[str, Callable[..., list[WorkItem]]]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ioc.") or config.label in NOT_SOURCES:
            continue
        try:
            module = importlib.import_module(f"{config.name}.selectors")
        except ModuleNotFoundError:
            continue
        provider = getattr(module, f"{config.label}_work_items", None)
        if provider is not None:
            found.append((config.label, provider))
    return found


def work_items_collect(*, user: Any, now: dt.datetime, where: WorkFilter | None = None) -> list[WorkItem]:
    """R7.1: every source's items for `user` that `where` admits, most urgent first (each source reads at most its
    own LIMIT, after the filter when it takes `where`)."""
    items: list[WorkItem] = []
    for _label, provider, filters in _providers(_installed()):
        if where and filters:
            items.extend(provider(user=user, where=where))
        else:
            items.extend(provider(user=user))
    if where:
        items = [item for item in items if where.admits(item)]
    return sorted(items, key=lambda item: urgency_key(item, now))


def takes_where(provider: Callable[..., list[WorkItem]]) -> bool:
    """Whether a source applies the queue's filters itself (the keyword argument `where`)."""
    return "where" in inspect.signature(provider).parameters
