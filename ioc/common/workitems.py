"""DESIGN "Map hooks", R7.1: the one shape of an entry of the operator's single work queue.

Every domain app's `<app>_work_items(*, user)` returns a list of `WorkItem`; `ioc.web.selectors` merges them and
sorts them by `urgency_key` (overdue → at risk → new severe alerts → the rest, each oldest first).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

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
    """Every installed app's `<label>_work_items(*, user)` (found at run time, so `common` imports no app)."""
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


def work_items_collect(*, user: Any, now: dt.datetime) -> list[WorkItem]:
    """R7.1: every source's items for `user`, most urgent first (each source reads at most its own LIMIT)."""
    items: list[WorkItem] = []
    for _label, provider in work_item_providers():
        items.extend(provider(user=user))
    return sorted(items, key=lambda item: urgency_key(item, now))
