"""Older items in bulk (R5.7; DESIGN "Demo data": history through a documented bulk service). Drafts are cleaned
and classified exactly as `items_ingest` does (topics, watched names, places, sentiment), but written set-wise
without the near-duplicate look-up (the caller vouches that they are distinct), with one audit entry per batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from ioc.audit.services import audit_record_bulk
from ioc.media_watch import minhash, sentiment
from ioc.media_watch.models import Item, ItemBand, ItemTopic, Source
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.selectors.places import area_unit_ids, places_found
from ioc.media_watch.selectors.rules import matcher
from ioc.media_watch.services._base import now as clock
from ioc.media_watch.services.ingest import _prepare
from ioc.media_watch.text import fold_aligned

if TYPE_CHECKING:
    from ioc.accounts.models import User


@transaction.atomic
def items_history_load(*, actor: User, source: Source, drafts: Sequence[ItemDraft]) -> int:
    """R5.7: store a batch of older, distinct items set-wise; returns how many were stored."""
    now, rules = clock(), matcher()
    prepared = [p for p in (_prepare(d, now) for d in drafts) if p is not None]
    items = Item.objects.bulk_create(
        [
            Item(
                source=source,
                guid=p.draft.guid[:500],
                url=p.url,
                url_key=p.url_key,
                title=p.title,
                body=p.body,
                folded=fold_aligned(p.normal),
                author=p.draft.author[:200],
                published_at=p.published_at,
                date_estimated=p.estimated,
                collected_at=p.published_at,
                last_seen_at=p.published_at,
                signature=p.signature,
                sentiment=sentiment.score(p.normal, normalised=True),
                cites_authorities=sentiment.cites_authorities(p.normal),
            )
            for p in prepared
        ]
    )
    topics, bands, places, entities = [], [], [], []
    for item, p in zip(items, prepared, strict=True):
        labels = rules.match(p.normal, normalised=True)
        found = places_found(p.normal)
        areas = area_unit_ids(found)
        for label in labels:
            if isinstance(label, tuple) and label[0] == "topic":
                topics.append(
                    ItemTopic(
                        item=item,
                        topic_id=label[1],
                        published_at=item.published_at,
                        unit_id=areas[0] if areas else None,
                    )
                )
            elif isinstance(label, tuple) and label[0] == "entity":
                entities.append(Item.entities.through(item_id=item.pk, watchentity_id=label[1]))
        places += [Item.places.through(item_id=item.pk, adminunit_id=pk) for pk in found]
        bands += [ItemBand(item=item, key=k, published_at=item.published_at) for k in minhash.band_keys(p.signature)]
    ItemTopic.objects.bulk_create(topics)
    ItemBand.objects.bulk_create(bands)
    Item.places.through.objects.bulk_create(places)
    Item.entities.through.objects.bulk_create(entities)
    audit_record_bulk(
        actor=actor,
        action="media_item.history_load",
        object_type="media_watch.item",
        rows=[(item.pk, item.published_at.isoformat()) for item in items],
        changes={"source": source.pk, "items": len(items)},
    )
    return len(items)
