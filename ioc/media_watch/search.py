"""A topic query over every stored item (R5.7, issue 22 "Speed": a year of 5,000,000 items ≤ 500 ms p95), through a
word index of the folded text (`Item.folded`: syllables without marks, "ho guom" for "Hồ Gươm"):

- SQLite: an FTS5 table (tokenizer unicode61, external content: the items table keeps the text) kept by three
  triggers. A query becomes an FTS5 expression: a term or phrase is a quoted phrase of folded syllables, AND/OR
  as such, `x NOT y` for an AND with negated operands, NEAR/n as `NEAR("a" "b", n)`.
- PostgreSQL: a stored column `folded_tsv` (`GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED`, added
  by migrations 0004/0005 outside Django's model: the database keeps it) with a GIN index; a query becomes a
  `tsquery` (phrases with `<->`, `&`, `|`, `!`; NEAR/n between two syllables as the OR of `<d>` in both orders,
  between phrases the AND of both sides, a superset). The vector also holds every two adjacent syllables as one
  word ("thu nghiem" → `thuqnghiem`) and a phrase asks for its pairs beside `<->`: GIN holds no positions, so
  without them a phrase of common syllables had PostgreSQL recheck every row holding its words; with them GIN
  gives the rows holding the pairs, rechecked against the stored vector (never recomputed from the text), and only
  within a window of the newest ids (`_pg_pages`).

The index finds candidates by folded syllables; marks typed by the user ("bão" is not "báo") and NEAR distances
are then checked exactly by the one matcher (`matching.build`), so the answer is the matcher's. A query the index
cannot narrow (a lone NOT) scans, as does every engine without the index. `items_search` is the one entry point
(the topic preview, the benchmark). After every `migrate` (apps.py) `index_ensure` puts back triggers a table
rebuild on SQLite would drop, re-indexing from the items when it had to.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from ioc.common.fts import TextIndex
from ioc.media_watch.matching import build
from ioc.media_watch.models import Item
from ioc.media_watch.query import And, Near, Node, Not, Or, Term, keys, parse
from ioc.media_watch.text import normalise

ITEM_TABLE = "media_watch_item"
PG_INDEX = "media_item_folded_tsv_idx"  # 0004's expression index, replaced by the stored column's (0005)
PG_COLUMN = "folded_tsv"
PG_COLUMN_INDEX = "media_item_tsv_gin_idx"

PG_PAIRS = "media_watch_syllable_pairs"
PAIR_JOINER = "q"
_PAIR = re.compile(r"[a-z]+")
_PAIRS_BODY = (  # the joiner: PAIR_JOINER
    "SELECT coalesce(string_agg(w || 'q' || n, ' '), '') FROM (SELECT w, lead(w) OVER (ORDER BY i) AS n "
    "FROM unnest(string_to_array(folded, ' ')) WITH ORDINALITY AS t(w, i)) pairs WHERE n IS NOT NULL"
)
POSTGRESQL_INSTALL = (
    # Each two adjacent syllables as one more word ("thu nghiem" → "thuqnghiem"; `folded` is syllables joined by
    # single spaces): GIN keeps no positions, so a phrase of common syllables would otherwise be rechecked on every
    # row holding its words; asked with its pairs, GIN gives only rows holding the pairs (a rare phrase: few rows).
    # A pair may collide with another's spelling: that only adds candidates, which `<->` then rejects.
    f"CREATE OR REPLACE FUNCTION {PG_PAIRS}(folded text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    f"AS $$ {_PAIRS_BODY} $$",
    # Immutable (to_tsvector with its configuration, the pairs): PostgreSQL computes the column on every write;
    # the pairs come after the text, so the syllables keep their positions for `<->`.
    f"ALTER TABLE {ITEM_TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded || ' ' || {PG_PAIRS}(folded))) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_COLUMN_INDEX} ON {ITEM_TABLE} USING gin ({PG_COLUMN})",
    f"DROP INDEX IF EXISTS {PG_INDEX}",
)
INDEX = TextIndex(
    table=ITEM_TABLE,
    column="folded",
    tokenize="unicode61",
    detail="full",
    postgresql_install=POSTGRESQL_INSTALL,
    postgresql_uninstall=(
        f"DROP INDEX IF EXISTS {PG_INDEX}",
        f"DROP INDEX IF EXISTS {PG_COLUMN_INDEX}",
        f"ALTER TABLE {ITEM_TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}",
        f"DROP FUNCTION IF EXISTS {PG_PAIRS}(text)",
    ),
)
_SQLITE_MATCH = "SELECT rowid FROM media_watch_item_fts WHERE media_watch_item_fts MATCH %s"
_PG_TEST = "media_watch_item.folded_tsv @@ to_tsquery('simple', %s)"
PG_WINDOW = 20_000  # the newest ids read first; each next window of older ids is PG_GROWTH times larger
PG_GROWTH = 4
FIELDS = ("pk", "title", "body", "url", "published_at")
_SQLITE_NEWEST = (
    "SELECT rowid FROM media_watch_item_fts WHERE media_watch_item_fts MATCH %s AND rowid < %s "
    "ORDER BY rowid DESC LIMIT %s"
)


# --- the query in each engine's language ---------------------------------------------------------------------------


def _words(folded: str) -> list[str]:
    return [w for w in folded.split() if w]


def _unmarked(node: Node) -> bool:
    """Whether no key of `node` was typed with marks (only then may its negation narrow on folded text: "NOT bão"
    keeps items with "báo")."""
    return all(key.marked is None for key in keys(node))


def fts5_expression(node: Node) -> str | None:
    """The FTS5 expression whose rows include every item matching `node` (None: the index cannot narrow it)."""
    if isinstance(node, Term):
        return '"' + " ".join(_words(node.key.folded)) + '"'
    if isinstance(node, Near):
        left, right = " ".join(_words(node.left.key.folded)), " ".join(_words(node.right.key.folded))
        return f'NEAR("{left}" "{right}", {node.distance})'
    if isinstance(node, Not):
        return None
    if isinstance(node, Or):
        parts = [fts5_expression(op) for op in node.operands]
        return None if any(p is None for p in parts) else "(" + " OR ".join(p for p in parts if p) + ")"
    assert isinstance(node, And)
    positive = [p for p in (fts5_expression(op) for op in node.operands if not isinstance(op, Not)) if p]
    negated = [op.operand for op in node.operands if isinstance(op, Not) and _unmarked(op.operand)]
    negative = [p for p in (fts5_expression(op) for op in negated) if p]
    if not positive:
        return None
    expression = "(" + " AND ".join(positive) + ")"
    for part in negative:  # FTS5's NOT is binary: what the left side matches, less the right side
        expression = f"({expression} NOT {part})"
    return expression


def tsquery_expression(node: Node) -> str | None:
    """The `to_tsquery('simple', …)` text whose rows include every item matching `node` (None: cannot narrow; a
    lone negation reads every row, as the plain scan does)."""
    text = _tsquery(node)
    return None if text is None or text.startswith("!") else text


def _tsquery(node: Node) -> str | None:
    if isinstance(node, Term):
        return _tsquery_phrase(_words(node.key.folded))
    if isinstance(node, Near):
        return _tsquery_near(node)
    if isinstance(node, Not):
        # A NEAR is widened to an AND above: negated, it would narrow too much (drop items the matcher keeps).
        inner = _tsquery(node.operand) if _unmarked(node.operand) and not _has_near(node.operand) else None
        return None if inner is None else f"!{inner}"
    parts = [_tsquery(op) for op in node.operands]
    if isinstance(node, Or):
        return None if any(p is None for p in parts) else "(" + " | ".join(p for p in parts if p) + ")"
    kept = [p for p in parts if p is not None]
    if not kept or all(p.startswith("!") for p in kept):
        return None
    return "(" + " & ".join(kept) + ")"


def _tsquery_phrase(words: list[str]) -> str:
    """A phrase with `<->`, and its adjacent pairs of plain syllables as words (the stored column holds them):
    exact, the pairs only let GIN narrow."""
    pairs = [f"{a}{PAIR_JOINER}{b}" for a, b in itertools.pairwise(words) if _plain(a) and _plain(b)]
    phrase = "(" + " <-> ".join(words) + ")"
    return "(" + " & ".join([phrase, *pairs]) + ")" if pairs else phrase


def _plain(word: str) -> bool:
    # Letters a–z only: the text parser keeps such a pair as one word, as the column's pairs are parsed.
    return bool(_PAIR.fullmatch(word))


def _tsquery_near(node: Near) -> str:
    """NEAR/n: at most n syllables between the two sides, either order. Between two syllables `a <d> b` is exact
    (b is d positions after a), so NEAR/n is the OR of d = 1 … n + 1 both ways; between phrases the AND of both
    sides (a superset: the matcher checks the distance)."""
    left, right = _words(node.left.key.folded), _words(node.right.key.folded)
    if len(left) != 1 or len(right) != 1:
        return f"({_tsquery(node.left)} & {_tsquery(node.right)})"
    a, b = left[0], right[0]
    pairs = [f"{a} <{d}> {b} | {b} <{d}> {a}" for d in range(1, node.distance + 2)]
    return "(" + " | ".join(pairs) + ")"


def _has_near(node: Node) -> bool:
    if isinstance(node, Near):
        return True
    if isinstance(node, Not):
        return _has_near(node.operand)
    return isinstance(node, And | Or) and any(_has_near(op) for op in node.operands)


def index_filter(node: Node, *, using: str = "default") -> Any:
    """A condition on the items table giving (a superset of) the items matching `node` through the engine's index,
    or None without it. SQLite: the ids the FTS5 table gives; PostgreSQL: the tsvector test itself, so the planner
    may walk the primary key newest first and test each row (a common word) or read the GIN index (a rare one)."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        expression = fts5_expression(node)
        return None if expression is None else Q(pk__in=RawSQL(_SQLITE_MATCH, [expression]))  # noqa: S611
    if vendor == "postgresql":
        text = tsquery_expression(node)
        return None if text is None else RawSQL(_PG_TEST, [text], output_field=BooleanField())  # noqa: S611
    return None


def like_filter(node: Node) -> Q | None:
    """The plain scan's filter (substring of the folded text; the benchmark's baseline)."""
    if isinstance(node, Term):
        return Q(folded__contains=node.key.folded)
    if isinstance(node, Near):
        return Q(folded__contains=node.left.key.folded) & Q(folded__contains=node.right.key.folded)
    if isinstance(node, Not):
        return None
    parts = [like_filter(op) for op in node.operands]
    if isinstance(node, And):
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        both = kept[0]
        for part in kept[1:]:
            both &= part
        return both
    alternatives = [p for p in parts if p is not None]
    if len(alternatives) < len(parts):
        return None
    either = alternatives[0]
    for part in alternatives[1:]:
        either |= part
    return either


# --- the search -------------------------------------------------------------------------------------------------------


@dataclass
class SearchResult:
    """The newest matching items (ids, newest first), how many candidates the index gave and were checked."""

    ids: list[int]
    checked: int


def _window(items: QuerySet[Item], since: dt.datetime | None, until: dt.datetime | None) -> QuerySet[Item]:
    if since is not None:
        items = items.filter(published_at__gte=since)
    if until is not None:
        items = items.filter(published_at__lte=until)
    return items


def _fts_ids(expression: str, *, using: str, chunk: int) -> Iterator[list[int]]:
    """SQLite: the FTS5 table's matching rowids, newest first, a page at a time — read backwards from the index
    without collecting every match (an `id IN (…)` would gather all of a common word's rows first)."""
    last = 2**63 - 1
    while True:
        with connections[using].cursor() as cursor:
            cursor.execute(_SQLITE_NEWEST, [expression, last, chunk])
            ids = [row[0] for row in cursor.fetchall()]
        if ids:
            yield ids
        if len(ids) < chunk:
            return
        last = ids[-1]


def _pages(
    node: Node, *, since: dt.datetime | None, until: dt.datetime | None, plain: bool, using: str, chunk: int
) -> Iterator[list[tuple[int, str, str, str, dt.datetime]]]:
    """Candidate rows (id, title, body, url, published_at), newest first, a page at a time."""
    items = _window(Item.objects.using(using).all(), since, until)
    expression = None if plain or connections[using].vendor != "sqlite" else fts5_expression(node)
    if expression is not None:
        for ids in _fts_ids(expression, using=using, chunk=chunk):
            yield list(items.filter(pk__in=ids).order_by("-pk").values_list(*FIELDS))
        return
    tsquery = None if plain or connections[using].vendor != "postgresql" else tsquery_expression(node)
    if tsquery is not None:
        yield from _pg_pages(items, tsquery, chunk=chunk)
        return
    condition = like_filter(node) if plain else index_filter(node, using=using) or like_filter(node)
    yield from _keyset(items.filter(condition) if condition is not None else items, chunk=chunk)


def _keyset(rows: QuerySet[Item], *, chunk: int) -> Iterator[list[Any]]:
    rows, last = rows.order_by("-pk"), None
    while True:
        page = list((rows.filter(pk__lt=last) if last is not None else rows).values_list(*FIELDS)[:chunk])
        yield page
        if len(page) < chunk:
            return
        last = page[-1][0]


def _pg_pages(items: QuerySet[Item], tsquery: str, *, chunk: int) -> Iterator[list[Any]]:
    """PostgreSQL: windows of ids, newest first — the newest PG_WINDOW ids, then each older window PG_GROWTH times
    larger — each asked `folded_tsv @@ tsquery` with its phrase operators. In a window the planner either walks
    the primary key testing the stored vector in place (a common word: the page fills at once) or reads the GIN
    index's candidates of that window only (a rare word), so a phrase of common syllables is rechecked over a
    window, not over every item holding its words (1.95 s p95 at 300,000 items when the whole set was read). The
    caller stops reading once it has its answers; a query matching nothing visits about log4(N / PG_WINDOW)
    windows."""
    ids = Item.objects.using(items.db).order_by("pk").values_list("pk", flat=True)
    top, bottom = ids.last(), ids.first()
    if top is None or bottom is None:
        return
    condition = RawSQL(_PG_TEST, [tsquery], output_field=BooleanField())  # noqa: S611
    high, size = top, PG_WINDOW
    while high >= bottom:
        low = high - size
        yield from _keyset(items.filter(pk__gt=low, pk__lte=high).filter(condition), chunk=chunk)
        high, size = low, size * PG_GROWTH


def iter_matching(
    query: str | Node,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    plain: bool = False,
    using: str = "default",
    chunk: int = 500,
) -> Iterator[tuple[int, str, str, str, dt.datetime]]:
    """Every item matching `query` exactly, newest first (id, title, body, url, published_at); `plain` uses the
    substring scan instead of the index (the benchmark's baseline). Raises `QueryError` for a bad query."""
    node = parse(query) if isinstance(query, str) else query
    rule = build([("q", node)])
    for page in _pages(node, since=since, until=until, plain=plain, using=using, chunk=chunk):
        for row in page:
            if rule.match(normalise(f"{row[1]} {row[2]}"), normalised=True):
                yield row


def items_search(
    query: str | Node,
    *,
    limit: int = 50,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    plain: bool = False,
    using: str = "default",
) -> list[int]:
    """R5.7: the ids of the `limit` newest-collected items matching `query` (the index narrows, the matcher decides)."""
    found: list[int] = []
    for row in iter_matching(query, since=since, until=until, plain=plain, using=using, chunk=max(limit, 50)):
        found.append(row[0])
        if len(found) >= limit:
            break
    return found


# --- the index's life (ioc/common/fts.py) ------------------------------------------------------------------------


def install(*, using: str = "default") -> None:
    """Create the index (SQLite: FTS5 and its triggers; PostgreSQL: the stored column and GIN), index every item."""
    INDEX.install(using=using)


def column_install(*, using: str = "default") -> None:
    """PostgreSQL (migration 0005): the stored tsvector column and its GIN index in place of 0004's expression
    index (the table is rewritten once to fill the column); nothing to do on other engines."""
    if connections[using].vendor == "postgresql":
        INDEX.install(using=using)


def uninstall(*, using: str = "default") -> None:
    """Drop the index (the migration's reverse)."""
    INDEX.uninstall(using=using)


def triggers_drop(*, using: str = "default") -> None:
    """SQLite: drop the triggers before a bulk load of millions of rows (`install` after rebuilds at once)."""
    INDEX.triggers_drop(using=using)


def triggers_current(*, using: str = "default") -> bool:
    """Whether the SQLite index and its triggers exist as written (always true on other engines)."""
    return INDEX.triggers_current(using=using)


def index_ensure(*, using: str = "default") -> bool:
    """After every `migrate`: the SQLite triggers written again (and every item re-indexed) when missing."""
    return INDEX.ensure(using=using)
