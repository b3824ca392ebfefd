"""The online-information watch's part of the benchmark dataset (issue 22 "Speed"): `--media-items N` of
bench/dataset.py — N items over the year before now, from the team-written corpus (ioc/media_watch/corpus.py:
themes × places × sentences), written in bulk with their folded text. For millions of rows the load is the cost, so:
the items table's secondary indexes (URL key, time, source + guid, and on PostgreSQL the search index) are dropped
for the load and created again after it from their own definitions (one sort each instead of millions of random
B-tree inserts); SQLite gets the rows through the driver's own `executemany` (no per-row parameter rewriting), a
commit per batch and `synchronous=OFF` for this build only (a benchmark file, built again if lost); PostgreSQL gets
COPY, and its index builds 1 GB of maintenance_work_mem (this session only). Then the topic query's word index is
rebuilt once (ioc/media_watch/search.py: its SQLite triggers are dropped for the load). One item in a thousand
names a rare place ("xã Thử Nghiệm <k>") for the rare-term runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import time
from collections.abc import Iterable, Iterator, Sequence
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


TABLE = "media_watch_item"
SQLITE_BATCH = 50_000
_SQLITE_INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
# Every index of the table but the primary key and those backing a constraint (a unique one stays: dropping it
# would drop the rule).
_PG_INDEXES = (
    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
    "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
)


def secondary_indexes_drop() -> list[tuple[str, str]]:
    """Drop the items table's secondary indexes; returns (name, CREATE statement) of each, to build them again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_SQLITE_INDEXES if connection.vendor == "sqlite" else _PG_INDEXES, [TABLE])
        indexes = [(name, sql) for name, sql in cursor.fetchall()]
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def secondary_indexes_create(indexes: Sequence[tuple[str, str]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


def _sqlite_insert(rows: Iterable[Sequence[Any]]) -> int:
    """The rows through sqlite3's own executemany, a transaction per batch (the WAL stays small)."""
    from django.db import connection, transaction

    sql = f'INSERT INTO "{TABLE}" ({", ".join(COLUMNS)}) VALUES ({", ".join(["?"] * len(COLUMNS))})'
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-1000000")  # 1 GB for this build's connection: the index sorts and FTS5 rebuild
    total, iterator = 0, iter(rows)
    while batch := list(itertools.islice(iterator, SQLITE_BATCH)):
        with transaction.atomic():
            raw.executemany(sql, batch)
        total += len(batch)
    return total


def build_media_items(*, n: int, rng: random.Random) -> None:
    """`n` items over the last year for one source, in publication order (ids follow time, as collection does)."""
    from django.db import connection
    from django.utils import timezone

    from bench.builders import bulk_insert
    from ioc.media_watch import search
    from ioc.media_watch.models import Source

    source, _ = Source.objects.get_or_create(name="Nguồn đo hiệu năng", defaults={"kind": "export"})
    search.triggers_drop()
    indexes = secondary_indexes_drop()
    step = time.perf_counter()
    rows = _rows(n, rng, source.pk, timezone.now())
    written = _sqlite_insert(rows) if connection.vendor == "sqlite" else bulk_insert(TABLE, COLUMNS, rows)
    print(f"media items: {written:,} rows in {time.perf_counter() - step:.1f}s")
    step = time.perf_counter()
    if connection.vendor == "postgresql":
        # This build's session only: the GIN build over millions of vectors flushes its pending list every
        # maintenance_work_mem (64 MB by default), the B-tree sorts spill to disk; 1 GB keeps both in memory.
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
    secondary_indexes_create(indexes)
    print(f"media items' indexes ({', '.join(name for name, _sql in indexes)}): {time.perf_counter() - step:.1f}s")
    step = time.perf_counter()
    search.install()  # SQLite: triggers back and one 'rebuild' of the FTS5 index; PostgreSQL: the GIN index
    print(f"media search index: {time.perf_counter() - step:.1f}s")
