"""Reads of hot paths in plain SQL, the statement built once per process (issue 23 "Speed": in a push of one
event a request, Django compiling each query was a third of the request's time — `as_sql` 30 % of the profile).

    EVENTS = Reader(DossierEvent, ["dossier_id", "kind", "occurred_at"])
    EVENTS.rows("dossier_id IN " + placeholders(3), [1, 2, 3])       # tuples, converted as the ORM converts them
    DOSSIERS.models("code = %s", ["HS-1"])                            # model instances (Model.from_db)

The caller writes the WHERE clause in the table's column names, with `%s` parameters (bound, never formatted in).
Each value is converted exactly as a queryset converts the same column: the backend's converters, then the
field's own (`from_db_value`): aware datetimes on SQLite, parsed JSON, booleans, decimals. `models` builds
instances as a queryset does (`Model.from_db`), the fields not read deferred. The counterpart of
`common.bulk` (writes) for reads; the Python that turns a query into SQL runs once per Reader, not per call.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from ioc.common.prepared import prepared_cursor

M = TypeVar("M", bound=Model)
_Converter = tuple[int, list[Callable[..., Any]], Any]


def placeholders(n: int) -> str:
    """`(%s, %s, …)` for an IN list of `n` values (n ≥ 1)."""
    return "(" + ", ".join(["%s"] * n) + ")"


class Reader(Generic[M]):
    """A SELECT of some concrete fields (names or attnames) of one model's table, `t` in the SQL; with `follow`
    (a foreign key's name), every field of the row it points to as well (`select_related` of one key: LEFT JOIN,
    the related table `r`; a WHERE that names a column of both tables qualifies it, `t.id`). `follow_fields`: only
    those fields of the related row (its heavy columns unread, e.g. a unit's geometry; `models` needs its pk among
    them)."""

    def __init__(
        self, model: type[M], fields: Sequence[str], *, follow: str = "", follow_fields: Sequence[str] = ()
    ) -> None:
        meta = model._meta
        self.model = model
        self.fields: list[Field[Any, Any]] = [meta.get_field(name) for name in fields]  # type: ignore[misc]
        self.attnames = [field.attname for field in self.fields]
        # Model.from_db takes values in the model's field order: `models` reorders each row so.
        where = {field.attname: k for k, field in enumerate(meta.concrete_fields)}
        self._order = sorted(range(len(self.fields)), key=lambda k: where[self.attnames[k]])
        self._ordered_names = [self.attnames[k] for k in self._order]
        self.follow: Any = meta.get_field(follow) if follow else None
        self.follow_fields = tuple(follow_fields)
        self._built: weakref.WeakKeyDictionary[BaseDatabaseWrapper, tuple[str, list[_Converter]]] = (
            weakref.WeakKeyDictionary()
        )

    def _related(self) -> tuple[type[Model], list[Field[Any, Any]]]:
        related: type[Model] = self.follow.related_model
        if self.follow_fields:
            return related, [related._meta.get_field(name) for name in self.follow_fields]  # type: ignore[misc]
        return related, list(related._meta.concrete_fields)  # type: ignore[arg-type]

    def _statement(self, connection: BaseDatabaseWrapper) -> tuple[str, list[_Converter]]:
        # Per connection: the backend's converters are methods of its `ops` (one connection per thread).
        built = self._built.get(connection)
        if built is None:
            quote = connection.ops.quote_name
            columns = [("t", field) for field in self.fields]
            source = f"{quote(self.model._meta.db_table)} t"
            if self.follow is not None:
                related, fields = self._related()
                columns += [("r", field) for field in fields]
                target = quote(str(self.follow.target_field.column))
                source += f" LEFT JOIN {quote(related._meta.db_table)} r ON r.{target} = t.{quote(self.follow.column)}"
            converters: list[_Converter] = []
            for position, (alias, field) in enumerate(columns):
                col = field.get_col(alias)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if found:
                    converters.append((position, found, col))
            names = ", ".join(f"{alias}.{quote(str(field.column))}" for alias, field in columns)
            built = (f"SELECT {names} FROM {source}", converters)  # noqa: S608 (names from _meta)
            self._built[connection] = built
        return built

    def rows(
        self, where: str, params: Sequence[Any], *, suffix: str = "", prepared: bool = False
    ) -> list[tuple[Any, ...]]:
        """The rows matching `where` (column names, `%s` parameters), each converted as the ORM converts it;
        `suffix`: what follows the WHERE clause (ORDER BY …). With `follow`, the related row's fields follow.
        `prepared`: through `ioc.common.prepared.prepared_cursor` (parsed and planned once per connection on
        PostgreSQL) — only for a statement whose text never varies (no IN list of varying length)."""
        alias = router.db_for_read(self.model) or "default"
        connection = connections[alias]
        sql, converters = self._statement(connection)
        with prepared_cursor(alias) if prepared else connection.cursor() as cursor:
            cursor.execute(f"{sql} WHERE {where} {suffix}", list(params))
            fetched = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in fetched]
        out = []
        for row in fetched:
            values = list(row)
            for position, functions, col in converters:
                value = values[position]
                for function in functions:
                    value = function(value, col, connection)
                values[position] = value
            out.append(tuple(values))
        return out

    def models(self, where: str, params: Sequence[Any], *, suffix: str = "", prepared: bool = False) -> list[M]:
        """`rows` as model instances (what a queryset's `.only(*fields)` would give, with `select_related` of
        `follow`)."""
        alias, order, names = router.db_for_read(self.model) or "default", self._order, self._ordered_names
        found = []
        width = len(self.fields)
        for row in self.rows(where, params, suffix=suffix, prepared=prepared):
            obj = self.model.from_db(alias, names, [row[k] for k in order])
            if self.follow is not None:
                related, fields = self._related()
                rest = row[width:]
                pk = rest[next(k for k, field in enumerate(fields) if field.primary_key)]
                value = None if pk is None else related.from_db(alias, [f.attname for f in fields], list(rest))
                setattr(obj, self.follow.name, value)
            found.append(obj)
        return found


class Slot(int):
    """A value that varies per call of a `Compiled` statement: the queryset is built once with the slot in the
    value's place (an int no row holds), its position among the statement's parameters found, then each call binds
    its own value there."""

    def __new__(cls, name: str) -> Slot:
        # Negative, far outside any key, distinct per name: the ORM passes it through as an integer parameter.
        value = -(2_000_000_000 + sum(ord(c) * 31**k for k, c in enumerate(name)) % 1_000_000)
        slot = super().__new__(cls, value)
        slot.name = name
        return slot

    name: str


class Compiled:
    """A queryset (of `values_list`) compiled to SQL once per process and connection, its varying values bound per
    call (issue 20 "Speed": the operator's queue compiled the same statements on every request). The SQL is the
    ORM's own — the same joins, the same terms (an index with a condition still matches) — and each row is converted
    as the queryset converts it. `build(**slots)` makes the queryset of `model` with a `Slot` in the place of each
    of the call's values; a statement whose shape varies (a filter present or not) is one `Compiled` per shape.

        WAITING = Compiled(Report, lambda unit: Report.objects.filter(unit_id=unit).values_list("pk"), "unit")
        WAITING.rows(unit=12)
    """

    def __init__(self, model: type[Model], build: Callable[..., Any], *slots: str) -> None:
        self.model = model
        self.build = build
        self.slots = {name: Slot(name) for name in slots}
        self._built: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = weakref.WeakKeyDictionary()

    def _statement(self, alias: str) -> _Compiled:
        # Per connection, as Reader: the compiler and its converters belong to one connection's backend.
        connection = connections[alias]
        built = self._built.get(connection)
        if built is None:
            compiler = self.build(**self.slots).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            names = {int(slot): name for name, slot in self.slots.items()}
            # The field's get_prep_value may turn the slot into a plain int: it is found by its value.
            places = [(k, names[value]) for k, value in enumerate(params) if _is_int(value) and value in names]
            if sorted(name for _k, name in places) != sorted(self.slots):
                raise ValueError(f"each slot must appear once among the statement's parameters: {params!r}")
            converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
            built = (sql, list(params), places, compiler, converters)
            self._built[connection] = built
        return built

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The statement's rows with `values` (one per slot, by name) bound, converted as the queryset would."""
        alias = router.db_for_read(self.model) or "default"
        sql, template, places, compiler, converters = self._statement(alias)
        params = list(template)
        for k, name in places:
            params[k] = values[name]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in fetched]
        return [tuple(row) for row in compiler.apply_converters(fetched, converters)]


def datetime_reader(connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """A DateTimeField column's raw value (SQLite's text, PostgreSQL's aware datetime) as the ORM gives it: parsed,
    then made aware in the connection's time zone when USE_TZ — what the backend's `convert_datetimefield_value`
    does, without its chain of calls per value (issue 20 "Speed": 4,000 values in a map layer of 2,000 points were a
    quarter of the request's CPU through `apply_converters`). None stays None."""
    zone = connection.timezone if settings.USE_TZ else None
    parse = dt.datetime.fromisoformat

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = parse(value)
        if zone is not None and value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value

    return convert


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_Compiled = tuple[str, list[Any], list[tuple[int, str]], Any, Any]
