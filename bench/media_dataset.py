"""The online-information watch's part of the benchmark dataset (issue 22 "Speed"): `--media-items N` of
bench/dataset.py — N items over the year before now, from the team-written corpus (ioc/media_watch/corpus.py:
themes × places × sentences), written in bulk (executemany on SQLite, COPY on PostgreSQL) with their folded text,
then the topic query's word index rebuilt once (ioc/media_watch/search.py: its SQLite triggers are dropped for the
load). One item in a thousand names a rare place ("xã Thử Nghiệm <k>") for the rare-term runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Iterator
from typing import Any

POOL = 4000
RARE_EVERY = 1000
PLACES = ["phường Trung Tâm", "xã Hòa Bình", "xã Tân Phú", "phường Bến Thành", "xã Lộc Ninh", "thị trấn Cái Bè"]


def _pool(rng: random.Random) -> list[tuple[str, str, str, float]]:
    """Composed items (title, body, folded text, sentiment) to draw from: composing and folding every one of
    millions of items would cost the build more than writing them."""
    from ioc.media_watch import sentiment
    from ioc.media_watch.corpus import THEMES, compose
    from ioc.media_watch.text import fold_aligned, normalise

    pool = []
    themes = sorted(THEMES)
    for _ in range(POOL):
        composed = compose(rng, theme=rng.choice(themes), place=rng.choice(PLACES))
        normal = normalise(f"{composed.title} {composed.body}")
        pool.append((composed.title, composed.body, fold_aligned(normal), sentiment.score(normal, normalised=True)))
    return pool


def _rows(n: int, rng: random.Random, source_id: int, now: dt.datetime) -> Iterator[list[Any]]:
    from django.db import connection

    from ioc.media_watch.text import fold_text

    pool = _pool(rng)
    start = now - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / max(n, 1)
    sqlite = connection.vendor == "sqlite"
    for i in range(n):
        title, body, folded, mood = pool[rng.randrange(POOL)]
        if i % RARE_EVERY == 0:
            extra = f" Tin từ xã Thử Nghiệm {rng.randrange(1000)}."
            body, folded = body + extra, folded + " " + fold_text(extra)
        published = start + step * i + dt.timedelta(seconds=rng.randrange(60))
        url = f"https://bench.example.invalid/tin/{i}"
        when: Any = connection.ops.adapt_datetimefield_value(published) if sqlite else published
        yield [
            source_id,
            f"bench-{i}",
            url,
            hashlib.sha256(url.encode()).hexdigest()[:40],
            f"{title} ({i})",
            body,
            folded,
            "",
            when,
            False,
            when,
            when,
            1,
            b"",
            mood,
            False,
        ]


COLUMNS = [
    '"source_id"',
    '"guid"',
    '"url"',
    '"url_key"',
    '"title"',
    '"body"',
    '"folded"',
    '"author"',
    '"published_at"',
    '"date_estimated"',
    '"collected_at"',
    '"last_seen_at"',
    '"copies"',
    '"signature"',
    '"sentiment"',
    '"cites_authorities"',
]


def build_media_items(*, n: int, rng: random.Random) -> None:
    """`n` items over the last year for one source, in publication order (ids follow time, as collection does)."""
    from django.utils import timezone

    from bench.builders import bulk_insert
    from ioc.media_watch import search
    from ioc.media_watch.models import Source

    source, _ = Source.objects.get_or_create(name="Nguồn đo hiệu năng", defaults={"kind": "export"})
    search.triggers_drop()
    step = time.perf_counter()
    written = bulk_insert("media_watch_item", COLUMNS, _rows(n, rng, source.pk, timezone.now()))
    print(f"media items: {written:,} rows in {time.perf_counter() - step:.1f}s")
    step = time.perf_counter()
    search.install()  # SQLite: triggers back and one 'rebuild' of the FTS5 index; PostgreSQL: the GIN index
    print(f"media search index: {time.perf_counter() - step:.1f}s")
