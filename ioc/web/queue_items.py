"""R7.1, issue 20 "Speed": the operator's queue's items, kept a few seconds per user.

The operator's home and the queue's pager read every source's work items (`work_items_collect`: a dozen apps, ~30
statements, half of the home page's CPU). The unfiltered list is kept `IOC_QUEUE_CACHE_SECONDS` (2 s, as the
overview's figures) per user, role set, agency and language in the shared cache, so a home page reloaded or paged
within that time reads it once. What the queue shows stays what it was:

- a change the user made shows at once: every unsafe request (POST, PUT, PATCH, DELETE) of a queue user leaves a
  fresh write stamp in the shared cache (`WriteStampMiddleware`, after the view, so after its transaction); an
  entry holds the stamp read before its items were, and a different stamp means it is not used;
- a change made by anyone else (another operator, a citizen, the worker) shows within the 2 s, as on the wall
  screen; past that, one request recomputes (`cache.add` claims it) while the others answer the previous items for
  at most `STALE_SECONDS` more, so eight open connections do not recompute the same list at once;
- the items are re-sorted by urgency at the time of each request (an item passing its deadline moves band at once);
  ages are computed by the page from the request's own time;
- the agency and commune filters are not kept: each is one operator's explicit question, read afresh.

The test settings set `IOC_QUEUE_CACHE_SECONDS = 0` (every read fresh, as `MAPS_CACHE_SECONDS`); test_queue_items
turns it on.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from ioc.accounts.choices import Role
from ioc.common.workitems import WorkFilter, WorkItem, urgency_key, work_items_collect

STALE_SECONDS = 5
RECOMPUTE_CLAIM_SECONDS = 10
# A write stamp outlives every entry read under the previous one (entries live seconds + STALE_SECONDS).
STAMP_SECONDS = 600
QUEUE_USERS = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def cache_seconds() -> int:
    return int(getattr(settings, "IOC_QUEUE_CACHE_SECONDS", 2))


def stamp_key(user_pk: Any) -> str:
    return f"ioc:web:queue:wrote:{user_pk}"


def entry_key(user: Any) -> str:
    roles = ",".join(sorted(getattr(user, "role_codes", ())))
    agency = getattr(user, "agency_id", None) or 0
    return f"ioc:web:queue:v1:{user.pk}:{agency}:{roles}:{get_language() or ''}"


def queue_items(*, user: Any, now: dt.datetime, where: WorkFilter | None = None) -> list[WorkItem]:
    """Every source's items for `user` that `where` admits, most urgent first at `now` (`work_items_collect`); the
    unfiltered list served from the shared cache as the module says."""
    seconds = cache_seconds()
    if seconds <= 0 or where or not getattr(user, "pk", None):
        return work_items_collect(user=user, now=now, where=where)
    key, stamp = entry_key(user), stamp_key(user.pk)
    found = cache.get_many([key, stamp])
    written = found.get(stamp)
    if written is None:  # no write yet, or the stamp was evicted: never keep a list under no stamp (a later write's
        cache.add(stamp, uuid.uuid4().hex, STAMP_SECONDS)  # stamp could be evicted too and read as None again)
        written = cache.get(stamp)
    entry = found.get(key)
    claim = f"{key}:recompute"
    claimed = False
    if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == written:
        _stamp, computed_at, items = entry
        if time.time() - computed_at < seconds:
            return sorted(items, key=lambda item: urgency_key(item, now))
        claimed = cache.add(claim, 1, RECOMPUTE_CLAIM_SECONDS)
        if not claimed:  # another request is recomputing them
            return sorted(items, key=lambda item: urgency_key(item, now))
    try:
        started = time.time()
        items = work_items_collect(user=user, now=now)
        cache.set(key, (written, started, items), seconds + STALE_SECONDS)
    finally:
        if claimed:
            cache.delete(claim)
    return items


def queue_write_stamp(*, user_pk: Any) -> None:
    """The user changed something: their kept queue is not used again (a new stamp, unlike any entry's)."""
    cache.set(stamp_key(user_pk), uuid.uuid4().hex, STAMP_SECONDS)


class WriteStampMiddleware:
    """Issue 20 "Speed": after an unsafe request of a signed-in queue user (operator, IOC leader), a fresh write
    stamp, so the user's next home page or queue page reads the sources afresh (`queue_items`). Placed after the
    authentication middleware; runs after the view, so after the view's transaction committed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and cache_seconds() > 0:
            user = getattr(request, "user", None)
            if getattr(user, "is_authenticated", False) and getattr(user, "role_codes", frozenset()) & QUEUE_USERS:
                queue_write_stamp(user_pk=user.pk)  # type: ignore[union-attr]
        return response
