"""Expression indexes on `ioc:filterable` fields (R1.1, issue part 2), created when a dataset is published.

One partial index per dataset and field over the JSON value, in each engine's own syntax: SQLite
`JSON_EXTRACT("data", '$."f"')`, PostgreSQL `("data" ->> 'f')` (text; cast to double precision for numeric
fields) followed by the row id. The id makes the index's order the read API's keyset order `(value, id)`: SQLite's
index entries end with the rowid anyway, PostgreSQL's with a heap address, so without the id PostgreSQL could
neither read a page in that order from the index nor seek to a cursor (docs/benchmarks.md, "Sharing read API").
Queries that filter or sort on a field use the same expression, `RawSQL(field_sql(name), [])`
(selectors.record_rows), never `KT()`: on SQLite Django compiles `KT` to a CASE expression that no index matches.
Field names are checked by `schema.NAME` (lowercase identifiers), so they are safe inside SQL; the dataset id is an
integer.
"""

from __future__ import annotations

from django.db import connection

from ioc.datahub.models import Dataset, Record
from ioc.datahub.schema import NAME, filterable_fields

TABLE = Record._meta.db_table


NUMERIC_TYPES = ("integer", "number", "year")


def field_sql(name: str, vendor: str | None = None, field_type: str = "string") -> str:
    """The SQL expression of a JSON field's value: SQLite's JSON value (numbers stay numbers); PostgreSQL's text,
    cast to double precision for numeric fields so that they compare and sort as numbers."""
    if not NAME.fullmatch(name):
        raise ValueError(name)
    if (vendor or connection.vendor) == "postgresql":
        text = f"(\"data\" ->> '{name}')"
        return f"({text}::double precision)" if field_type in NUMERIC_TYPES else text
    return f'JSON_EXTRACT("data", \'$."{name}"\')'


def field_json_sql(name: str, vendor: str | None = None) -> str:
    """The SQL of a JSON field's stored value as JSON text (a string keeps its quotes, a number its digits; `null`
    when the row lacks the field), for answers spliced without decoding (sharing's pages). SQLite's `->` (3.38+)
    returns the stored text as it is, where `JSON_EXTRACT` would round a number to 15 digits; PostgreSQL's jsonb
    value as text. Qualified by the table, for queries that join."""
    if not NAME.fullmatch(name):
        raise ValueError(name)
    if (vendor or connection.vendor) == "postgresql":
        return f"COALESCE((\"{TABLE}\".\"data\" -> '{name}')::text, 'null')"
    return f'COALESCE("{TABLE}"."data" -> \'$."{name}"\', \'null\')'


def index_name(dataset: Dataset, name: str) -> str:
    return f"datahub_rx_{dataset.pk}_{name}"[:63]


def index_statements(dataset: Dataset, vendor: str | None = None) -> list[str]:
    """CREATE INDEX statements for the dataset's filterable fields (idempotent: IF NOT EXISTS)."""
    then_id = ', "id"' if (vendor or connection.vendor) == "postgresql" else ""
    return [
        f'CREATE INDEX IF NOT EXISTS "{index_name(dataset, f["name"])}" ON "{TABLE}" '
        f'(({field_sql(f["name"], vendor, f.get("type", "string"))}){then_id}) WHERE "dataset_id" = {int(dataset.pk)}'
        for f in filterable_fields(dataset.schema)
    ]


def indexes_ensure(dataset: Dataset) -> list[str]:
    """Create the dataset's expression indexes; returns their names.

    PostgreSQL refuses CREATE INDEX on a table with deferred foreign-key checks still pending in the transaction
    (rows written to it earlier in the same transaction, e.g. a publish after a load): they are checked first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in index_statements(dataset):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's default for the rest of the transaction
    return [index_name(dataset, f["name"]) for f in filterable_fields(dataset.schema)]
