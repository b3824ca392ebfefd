"""Retention of watch-list data (R5.7, Nghị định 13/2023/NĐ-CP): items naming a watched organisation or person
are deleted once older than their list's retention, one audit entry per batch (`audit_record_bulk`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record_bulk
from ioc.media_watch.models import Item, WatchList
from ioc.media_watch.services._base import now as clock

PURGE_BATCH = 1000


def watchlist_items_purge(*, batch: int = PURGE_BATCH) -> int:
    """R5.7: delete the items past retention of every watch list, batch by batch; returns how many."""
    purged = 0
    for watch_list in WatchList.objects.all():
        cutoff = clock() - dt.timedelta(days=watch_list.retention_days)
        while True:
            count = _purge_batch(watch_list, cutoff, batch)
            purged += count
            if count < batch:
                break
    return purged


@transaction.atomic
def _purge_batch(watch_list: WatchList, cutoff: dt.datetime, batch: int) -> int:
    rows = list(
        Item.objects.filter(entities__watch_list=watch_list, published_at__lt=cutoff)
        .distinct()
        .order_by("pk")
        .values_list("pk", "published_at")[:batch]
    )
    if not rows:
        return 0
    Item.objects.filter(pk__in=[pk for pk, _when in rows]).delete()
    audit_record_bulk(
        actor=system_account(),
        action="media_item.purge",
        object_type="media_watch.item",
        rows=[(pk, when.isoformat()) for pk, when in rows],
        changes={"watch_list": watch_list.pk, "cutoff": cutoff.isoformat()},
    )
    return len(rows)
