"""Items in: the one way an item enters the watch (R5.7, issue 22 item 1): cleaned, merged when known (the same
URL, the same source's id, or a near-duplicate by MinHash LSH), classified in one pass (topics, watched names), and
written with one audit entry per batch. Collectors, uploads and the demo all call `items_ingest`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction
from django.db.models import F

from ioc.audit.services import audit_record_bulk
from ioc.media_watch import minhash, sentiment
from ioc.media_watch.choices import DUPLICATE_WINDOW_DAYS
from ioc.media_watch.models import Item, ItemBand, ItemTopic, Source
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.selectors.places import area_unit_ids, places_found
from ioc.media_watch.selectors.rules import matcher
from ioc.media_watch.services._base import now as clock
from ioc.media_watch.text import fold_aligned, normalise, strip_markup

if TYPE_CHECKING:
    from ioc.accounts.models import User

BODY_MAX = 20_000
FUTURE_SLACK = dt.timedelta(hours=1)


@dataclass
class IngestResult:
    """What one batch did: items created, merged into known ones, rejected (with reasons)."""

    new: list[Item] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Prepared:
    draft: ItemDraft
    title: str
    body: str
    url: str
    url_key: str
    normal: str
    signature: bytes
    published_at: dt.datetime
    estimated: bool


def canonical_url(url: str) -> str:
    """The URL an article keeps when re-published: scheme and host lower case, no fragment, no tracking query."""
    parts = urlsplit(url.strip())
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith(("utm_", "fbclid")))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/") or "/", query, ""))


def url_key(url: str) -> str:
    """The indexed key of an article's canonical URL (40 hex characters of its SHA-256)."""
    return hashlib.sha256(canonical_url(url).encode()).hexdigest()[:40]


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc and len(url) <= 1000 else ""


# C0 controls that are not white space to Python (the others become one space in a title or body), DEL, and lone
# surrogates: collected text (a feed, a platform's JSON, an uploaded export) may carry them; PostgreSQL cannot store a
# NUL and no database a lone surrogate, and none has a meaning in an item. They are dropped, not a reason to refuse
# a whole run.
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1b\x7f\ud800-\udfff]")


def _scrub(draft: ItemDraft) -> ItemDraft:
    texts = (draft.title, draft.body, draft.url, draft.guid, draft.author)
    if not any(_UNPRINTABLE.search(text) for text in texts):
        return draft
    title, body, url, guid, author = (_UNPRINTABLE.sub("", text) for text in texts)
    return dataclasses.replace(draft, title=title, body=body, url=url, guid=guid, author=author)


def _prepare(draft: ItemDraft, now: dt.datetime) -> _Prepared | None:
    draft = _scrub(draft)
    title = " ".join(strip_markup(draft.title).split())[:500]
    body = " ".join(strip_markup(draft.body).split())[:BODY_MAX]
    if not title and not body:
        return None
    title = title or body[:200]
    url = _clean_url(draft.url)
    normal = normalise(f"{title} {body}")
    published, estimated = draft.published_at, draft.published_at is None
    if published is None or published > now + FUTURE_SLACK:
        published, estimated = now, True
    return _Prepared(
        draft=draft,
        title=title,
        body=body,
        url=url,
        url_key=url_key(url) if url else "",
        normal=normal,
        signature=minhash.signature(fold_aligned(normal)),
        published_at=published,
        estimated=estimated,
    )


def _known(prepared: _Prepared, source: Source) -> int | None:
    """The id of the item this one repeats: same URL, same id at the same source, or a near-duplicate."""
    if prepared.url_key:
        found = Item.objects.filter(url_key=prepared.url_key).values_list("pk", flat=True).first()
        if found:
            return found
    guid = prepared.draft.guid[:500]
    if guid:
        found = Item.objects.filter(source=source, guid=guid).values_list("pk", flat=True).first()
        if found:
            return found
    keys = minhash.band_keys(prepared.signature)
    if not keys:
        return None
    since = prepared.published_at - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    candidates = (
        ItemBand.objects.filter(key__in=keys, published_at__gte=since).values_list("item_id", flat=True).distinct()
    )
    for pk, sig in Item.objects.filter(pk__in=list(candidates[:200])).values_list("pk", "signature"):
        if minhash.similarity(bytes(sig), prepared.signature) >= minhash.THRESHOLD:
            return int(pk)
    return None


def _create(prepared: _Prepared, source: Source, now: dt.datetime, labels: list[Hashable]) -> Item:
    item = Item.objects.create(
        source=source,
        guid=prepared.draft.guid[:500],
        url=prepared.url,
        url_key=prepared.url_key,
        title=prepared.title,
        body=prepared.body,
        folded=fold_aligned(prepared.normal),
        author=prepared.draft.author.strip()[:200],
        published_at=prepared.published_at,
        date_estimated=prepared.estimated,
        collected_at=now,
        last_seen_at=now,
        signature=prepared.signature,
        sentiment=sentiment.score(prepared.normal, normalised=True),
        cites_authorities=sentiment.cites_authorities(prepared.normal),
    )
    places = places_found(prepared.normal)
    areas = area_unit_ids(places)
    if places:
        item.places.set(places)
    topic_ids = [label[1] for label in labels if isinstance(label, tuple) and label[0] == "topic"]
    entity_ids = [label[1] for label in labels if isinstance(label, tuple) and label[0] == "entity"]
    ItemTopic.objects.bulk_create(
        [
            ItemTopic(item=item, topic_id=pk, published_at=item.published_at, unit_id=areas[0] if areas else None)
            for pk in topic_ids
        ]
    )
    keys = minhash.band_keys(prepared.signature)
    ItemBand.objects.bulk_create([ItemBand(item=item, key=key, published_at=item.published_at) for key in keys])
    if entity_ids:
        item.entities.set(entity_ids)
    return item


@transaction.atomic
def items_ingest(*, actor: User, source: Source, drafts: Sequence[ItemDraft]) -> IngestResult:
    """R5.7: store a batch of drafts from one source — new items classified, known ones merged (counted in
    `copies`), empty ones rejected — with one audit entry for the batch (`audit_record_bulk`)."""
    now, rules, result = clock(), matcher(), IngestResult()
    for draft in drafts:
        prepared = _prepare(draft, now)
        if prepared is None:
            result.rejected.append(draft.url or draft.guid or "?")
            continue
        known = _known(prepared, source)
        if known is not None:
            Item.objects.filter(pk=known).update(copies=F("copies") + 1, last_seen_at=now)
            result.merged.append(known)
            continue
        result.new.append(_create(prepared, source, now, rules.match(prepared.normal, normalised=True)))
    rows = [(item.pk, "new") for item in result.new] + [(pk, "merged") for pk in result.merged]
    audit_record_bulk(
        actor=actor,
        action="media_item.ingest",
        object_type="media_watch.item",
        rows=rows,
        changes={
            "source": source.pk,
            "new": len(result.new),
            "merged": len(result.merged),
            "rejected": len(result.rejected),
        },
    )
    return result
