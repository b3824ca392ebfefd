"""Multi-row INSERT … RETURNING for set-based services (issue 12 "Speed": the escalation sweep writes thousands of
timeline rows, audit entries and incident lines per run).

`insert_returning(objs)` writes unsaved instances of one model with as few statements as the backend's parameter
limit allows and sets each instance's pk from RETURNING (SQLite ≥ 3.35, PostgreSQL), matched in VALUES order as
Django's own `bulk_create` matches them on both. It is what `bulk_create` does, without the per-value SQL compiler
(about half of bulk_create's time here): values are prepared with each field's own `get_db_prep_save`, so every
type is stored exactly as the ORM stores it — except where that is the identity (fourth landing): a str in a plain
CharField or TextField, an int in a plain integer field or a foreign key to an automatic id, a bool in a plain
BooleanField, a float in a plain FloatField, and None, go as they are. "Plain": the field's class prepares values
with the base class's own methods (a field that encrypts or transforms its value always takes its own path).
No signals are sent (bulk_create sends none either); it joins the caller's transaction. The preparers of a set of
fields are built once per connection (issue 23 "Speed": rebuilding them was a tenth of a one-event push's writes).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin

from ioc.common.prepared import prepared_cursor

MAX_ROWS_PER_STATEMENT = 500

_PLAIN: tuple[tuple[type[models.Field[Any, Any]], type], ...] = (
    (models.CharField, str),
    (models.TextField, str),
    (models.BooleanField, bool),
    (models.FloatField, float),
    (models.IntegerField, int),
)
_PREP_METHODS = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python", "pre_save")


@functools.cache
def _plain_type(field: models.Field[Any, Any]) -> type | None:
    """The Python type whose values `field` stores unchanged, or None (its own preparation always applies). Kept per
    field for the process: a field's class never changes, and these checks were a third of a one-row insert's
    CPU on the Open311 write (issue 16)."""
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        own = type(field).get_db_prep_save is models.ForeignKey.get_db_prep_save
        return int if own and isinstance(target, AutoFieldMixin) else None
    for base, kind in _PLAIN:
        if isinstance(field, base) and all(getattr(type(field), m) is getattr(base, m) for m in _PREP_METHODS):
            return kind
    return None


_Preparer = Callable[[Model], Any]
# Per connection (one a thread), per tuple of fields: the preparers depend on nothing else.
_BUILT: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[Any, ...], list[_Preparer]]] = (
    weakref.WeakKeyDictionary()
)


def preparers(fields: Sequence[models.Field[Any, Any]], connection: BaseDatabaseWrapper) -> list[_Preparer]:
    """Per field, obj → the database value: the attribute as it is where that is what the ORM would store (see
    the module), else `get_db_prep_save(pre_save(obj))`. Built once per connection and fields; read-only."""
    known = _BUILT.get(connection)
    if known is None:
        known = _BUILT[connection] = {}
    key = tuple(fields)
    built = known.get(key)
    if built is None:
        built = known[key] = _preparers(fields, connection)
    return built


def _preparers(fields: Sequence[models.Field[Any, Any]], connection: BaseDatabaseWrapper) -> list[_Preparer]:
    def one(field: models.Field[Any, Any]) -> Callable[[Model], Any]:
        kind, attname = _plain_type(field), field.attname

        def slow(obj: Model) -> Any:
            return field.get_db_prep_save(field.pre_save(obj, True), connection)

        if kind is None:
            return slow

        def fast(obj: Model) -> Any:
            value = obj.__dict__.get(attname, slow)  # not loaded (deferred): the ORM's own way
            return value if value is None or type(value) is kind else slow(obj)

        return fast

    return [one(field) for field in fields]


def insert_returning(objs: Sequence[Model], *, prepared: bool = False) -> None:
    """INSERT `objs` (unsaved instances of one model) and set their pks, in VALUES order.

    `prepared`: through `ioc.common.prepared.prepared_cursor` (PostgreSQL parses and plans the statement once per
    connection; issue 16, the Open311 write) — for a hot path's statement of a fixed row count only."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert_returning: every instance must be of the same model")
    meta = model._meta
    alias = router.db_for_write(model) or "default"
    connection = connections[alias]
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    pk_field = meta.pk
    assert pk_field is not None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params or 999
    per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, limit // len(fields)))
    prepare = preparers(fields, connection)
    with prepared_cursor(alias) if prepared else connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            values = [p(obj) for obj in chunk for p in prepare]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names from _meta, values bound)
                f"VALUES {', '.join([placeholders] * len(chunk))} RETURNING {quote(str(pk_field.column))}"
            )
            cursor.execute(sql, values)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, alias
