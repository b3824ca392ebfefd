"""R7.1, R3.3 (issue 20 "Speed"): the index behind the folded text search of citizen reports.

`Report.search_text` holds the folded key (`models.search_key`: "ho guom" finds "Hồ Gươm"); a search is a
substring of it. A plain `LIKE '%…%'` reads every row when few reports match (1.1 s at 1,000,000 reports), so:

- SQLite: an FTS5 table with the trigram tokenizer over `search_text` (external content: the reports table keeps
  the text, the index only the trigrams), kept by three triggers. A quoted FTS5 phrase of trigrams matches exactly
  the rows whose key contains the text as a substring, the same rows as `LIKE`.
- PostgreSQL: a GIN `pg_trgm` index on `search_text`; `LIKE '%…%'` uses it as it is.

Texts shorter than a trigram (under 3 characters) cannot use either index and fall back to the plain substring
filter: the answers are the same, only slower. `text_filter` is the one entry point (selectors/_base.py).

A migration that rebuilds the reports table on SQLite drops its triggers (as rollup.py's): `text_index_ensure`
runs after every `migrate` (apps.py) and puts them back, re-indexing from the reports when it had to (the index's
life: ioc/common/fts.py, shared with the media watch's topic query).
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from ioc.common.fts import TextIndex

REPORT_TABLE = "citizen_reports_report"
PG_INDEX = "reports_search_trgm_idx"
MIN_INDEXED = 3  # a trigram

_MATCH = (
    "SELECT id FROM citizen_reports_report WHERE tracking_code = %s UNION ALL "
    "SELECT rowid FROM citizen_reports_report_fts WHERE citizen_reports_report_fts MATCH %s"
)
_NEWEST = (
    "SELECT rowid FROM citizen_reports_report_fts WHERE citizen_reports_report_fts MATCH %s "
    "ORDER BY rowid DESC LIMIT %s"
)
POSTGRESQL_INSTALL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {REPORT_TABLE} USING gin (search_text gin_trgm_ops)",
)
INDEX = TextIndex(
    table=REPORT_TABLE,
    column="search_text",
    tokenize="trigram",
    postgresql_install=POSTGRESQL_INSTALL,
    postgresql_uninstall=(f"DROP INDEX IF EXISTS {PG_INDEX}",),
)
SQLITE_TRIGGERS = INDEX.sqlite_triggers


def text_filter(folded: str, *, code: str, using: str = "default") -> Q:
    """The reports whose tracking code is `code` or whose folded key contains `folded` (already folded), through
    the engine's index. On SQLite both are one `id IN (… UNION ALL …)`: an `OR` of the two would make SQLite
    fetch every match and sort them (0.6 s for a common word at 1,000,000 reports, 0.06 s as a union)."""
    if len(folded) >= MIN_INDEXED and connections[using].vendor == "sqlite":
        return Q(pk__in=RawSQL(_MATCH, [code, _phrase(folded)]))  # noqa: S611 - both are bound parameters
    return Q(tracking_code=code) | Q(search_text__contains=folded)


def newest_matches(folded: str, *, limit: int, using: str = "default") -> list[int] | None:
    """SQLite: the ids of the `limit` newest-entered reports whose key contains `folded`, read backwards from the
    index without collecting every match (FTS5 walks its rowids in order). None where no such walk exists (another
    engine, or a text shorter than a trigram): the caller filters with `text_filter`."""
    if len(folded) < MIN_INDEXED or connections[using].vendor != "sqlite":
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(_NEWEST, [_phrase(folded), limit])
        return [row[0] for row in cursor.fetchall()]


def _phrase(folded: str) -> str:
    """An FTS5 phrase (quoted, quotes doubled): its trigrams in a row, i.e. the text as a substring."""
    return '"' + folded.replace('"', '""') + '"'


def install(*, using: str = "default") -> None:
    """Create the index (and on SQLite its triggers), then index every report; safe to run twice."""
    INDEX.install(using=using)


def uninstall(*, using: str = "default") -> None:
    """Drop the index (the migration's reverse)."""
    INDEX.uninstall(using=using)


def triggers_current(*, using: str = "default") -> bool:
    """Whether the SQLite index and its triggers exist as written (always true on other engines)."""
    return INDEX.triggers_current(using=using)


def text_index_ensure(*, using: str = "default") -> bool:
    """After every `migrate`: when the SQLite triggers are missing or outdated, write them again and re-index every
    report. Returns whether it had to."""
    return INDEX.ensure(using=using)
