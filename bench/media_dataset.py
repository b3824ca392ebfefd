"""The online-information watch's part of the benchmark dataset (issue 22 "Speed"): `--media-items N` of
bench/dataset.py — N items over the year before now, from the team-written corpus (ioc/media_watch/corpus.py:
themes × places × sentences), written in bulk with their folded text. For millions of rows the load is the cost, so:
the items table's secondary indexes (URL key, time, source + guid, and on PostgreSQL the search index) are dropped
for the load and created again after it from their own definitions (one sort each instead of millions of random
B-tree inserts); SQLite gets the rows through the driver's own `executemany` (no per-row parameter rewriting), a
commit per batch and `synchronous=OFF` for this build only (a benchmark file, built again if lost); PostgreSQL gets
COPY, and its index builds 1 GB of maintenance_work_mem (this session only). Then the topic query's word index is
rebuilt once (ioc/media_watch/search.py: its SQLite triggers are dropped for the load). One item in a thousand
names a rare place ("xã Thử Nghiệm <k>") for the rare-term runs.

PostgreSQL's stored vector (`folded_tsv`, GENERATED ALWAYS … STORED, migration 0005) cost ~150 µs a row of one core
in the COPY: 2,000,000 rows took 28 min loaded. The items repeat the pool's `POOL` texts, so the builder reads the
column's own expression back from the catalogue, makes the column a plain one for this benchmark table (`DROP
EXPRESSION`: the product's migration, model and write path are unchanged), has PostgreSQL compute that expression
once per pool text and COPYs each row's vector with it; the rare rows (their text is their own) get theirs from one
`UPDATE … SET folded_tsv = <the expression>` after the load. A sample of rows is then checked against the expression
(the build stops if one differs): the table holds what the generated column would, so the reads it is built for
measure the same thing; only a write into it would no longer compute the vector (the benchmark writes none)."""

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


def _rows(
    n: int,
    rng: random.Random,
    source_id: int,
    now: dt.datetime,
    pool: Sequence[tuple[str, str, str, float]],
    vectors: Sequence[str] | None = None,
) -> Iterator[list[Any]]:
    """The rows in `COLUMNS` order; with `vectors` (PostgreSQL: the stored vector of each pool text) one more value,
    the row's vector, NULL for a rare row (its text is its own: `_pg_rare_vectors` fills it)."""
    from django.db import connection

    from ioc.media_watch.text import fold_text

    start = now - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / max(n, 1)
    sqlite = connection.vendor == "sqlite"
    for i in range(n):
        k = rng.randrange(POOL)
        title, body, folded, mood = pool[k]
        vector = vectors[k] if vectors is not None else None
        if i % RARE_EVERY == 0:
            vector = None
            extra = f" Tin từ xã Thử Nghiệm {rng.randrange(1000)}."
            body, folded = body + extra, folded + " " + fold_text(extra)
        published = start + step * i + dt.timedelta(seconds=rng.randrange(60))
        url = f"https://bench.example.invalid/tin/{i}"
        when: Any = connection.ops.adapt_datetimefield_value(published) if sqlite else published
        row = [
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
        if vectors is not None:
            row.append(vector)
        yield row


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


_PG_EXPRESSION = (
    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
    "ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = %s::regclass AND a.attname = %s "
    "AND a.attgenerated = 's'"
)
PG_CHECK_EVERY = 500  # one row in 500 (and every rare row) checked against the column's expression after the build


def _pg_vector_column(cursor: Any) -> str:
    """The stored vector's generation expression (over the column `folded`), read back from the catalogue; the
    column is then made a plain one for this benchmark table (see the module's docstring)."""
    from ioc.media_watch import search

    cursor.execute(_PG_EXPRESSION, [TABLE, search.PG_COLUMN])
    found = cursor.fetchone()
    if found is None:
        raise RuntimeError(f"{TABLE}.{search.PG_COLUMN} is not a stored generated column: did migration 0005 run?")
    cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{search.PG_COLUMN}" DROP EXPRESSION')
    return str(found[0])


def _pg_pool_vectors(cursor: Any, expression: str, pool: Sequence[tuple[str, str, str, float]]) -> list[str]:
    """Each pool text's vector, computed by PostgreSQL with the column's own expression, as COPY's text."""
    cursor.execute(
        f"SELECT ({expression})::text FROM unnest(%s::text[]) WITH ORDINALITY AS t(folded, i) ORDER BY i",
        [[folded for _title, _body, folded, _mood in pool]],
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_rare_vectors(cursor: Any, expression: str, source_id: int, n: int) -> int:
    """The rare rows' vectors (left NULL by the COPY), by the expression, found by their guid (its index is built)."""
    from ioc.media_watch import search

    guids = [f"bench-{i}" for i in range(0, n, RARE_EVERY)]
    cursor.execute(
        f'UPDATE "{TABLE}" SET "{search.PG_COLUMN}" = {expression} WHERE source_id = %s AND guid = ANY(%s)',
        [source_id, guids],
    )
    return int(cursor.rowcount)


def _pg_vectors_check(cursor: Any, expression: str, source_id: int, n: int) -> int:
    """Rows checked against the column's expression (one in `PG_CHECK_EVERY`, the rare ones); raises if one differs
    or is missing."""
    from ioc.media_watch import search

    guids = [f"bench-{i}" for i in range(0, n, RARE_EVERY)]
    guids += [f"bench-{i}" for i in range(PG_CHECK_EVERY // 2, n, PG_CHECK_EVERY)]
    cursor.execute(
        f'SELECT count(*), count(*) FILTER (WHERE "{search.PG_COLUMN}" IS DISTINCT FROM {expression}) '
        f'FROM "{TABLE}" WHERE source_id = %s AND guid = ANY(%s)',
        [source_id, guids],
    )
    checked, differ = cursor.fetchone()
    if differ or checked != len(guids):
        raise RuntimeError(f"stored vectors: {differ} of {checked} rows differ, {len(guids)} sought")
    return int(checked)


def build_media_items(*, n: int, rng: random.Random) -> None:
    """`n` items over the last year for one source, in publication order (ids follow time, as collection does)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.builders import bulk_insert
    from ioc.media_watch import search
    from ioc.media_watch.models import Source

    source, _ = Source.objects.get_or_create(name="Nguồn đo hiệu năng", defaults={"kind": "export"})
    postgresql = connection.vendor == "postgresql"
    search.triggers_drop()
    indexes = secondary_indexes_drop()
    pool = _pool(rng)
    expression, vectors = "", None
    if postgresql:
        with transaction.atomic(), connection.cursor() as cursor:
            expression = _pg_vector_column(cursor)
            vectors = _pg_pool_vectors(cursor, expression, pool)
    step = time.perf_counter()
    rows = _rows(n, rng, source.pk, timezone.now(), pool, vectors)
    columns = [*COLUMNS, f'"{search.PG_COLUMN}"']
    written = bulk_insert(TABLE, columns, rows) if postgresql else _sqlite_insert(rows)
    print(f"media items: {written:,} rows in {time.perf_counter() - step:.1f}s")
    step = time.perf_counter()
    if postgresql:
        # This build's session only: the GIN build over millions of vectors flushes its pending list every
        # maintenance_work_mem (64 MB by default), the B-tree sorts spill to disk; 1 GB keeps both in memory.
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
    secondary_indexes_create(indexes)
    print(f"media items' indexes ({', '.join(name for name, _sql in indexes)}): {time.perf_counter() - step:.1f}s")
    if postgresql:
        step = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            rare = _pg_rare_vectors(cursor, expression, source.pk, n)
            checked = _pg_vectors_check(cursor, expression, source.pk, n)
        print(f"media items' vectors: {rare:,} rare rows computed, {checked:,} rows checked against the column's "
              f"expression, {time.perf_counter() - step:.1f}s")  # fmt: skip
    step = time.perf_counter()
    search.install()  # SQLite: triggers back and one 'rebuild' of the FTS5 index; PostgreSQL: the GIN index
    print(f"media search index: {time.perf_counter() - step:.1f}s")
