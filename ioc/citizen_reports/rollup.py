"""The statistics rollup of citizen reports (R3.5): what each report contributes to the figures, summed per cell.

A cell is (grain, day, agency, category, commune, channel): grain "d" keys the report's local day of receipt,
grain "m" the first day of that local month, so a year is read from ~12 months of cells plus the days at its
edges instead of a million reports (docs/decisions/0005). Each report adds to one cell of each grain:

    received 1 · verified (verified_at set) · rejected (status rejected) · handled (published_at set) ·
    on_time / handled_late (handled, and handled_on_time true / false) · handled_seconds (receipt to
    publication) · rating_sum / rating_count

Database triggers keep the cells (one trigger per engine, written here once as SQL): every insert or update of a
report, by a service, a bulk loader, the admin or a migration, moves its contribution in the same transaction,
so the cells cannot drift from the reports. Reports are never deleted (no service deletes one, the admin cannot,
so there is no delete trigger); a restore or a manual fix is followed by `cells_rebuild()`
(`manage.py reports_rebuild_statistics`).

"Overdue while still open" moves with the clock and is not a cell: statistics.py counts it live over the open
reports, from a covering index (reports_open_deadline_idx).

Days are Vietnam's (UTC+07:00, no daylight saving since 1975): CELL_OFFSET_MINUTES.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction

CELL_TABLE = "citizen_reports_statisticscell"
REPORT_TABLE = "citizen_reports_report"
CELL_OFFSET_MINUTES = 420
KEY = ("grain", "day", "agency_id", "category_id", "unit_id", "channel")
MEASURES = (
    "received",
    "verified",
    "rejected",
    "handled",
    "on_time",
    "handled_late",
    "handled_seconds",
    "rating_sum",
    "rating_count",
)
# A change of any other column (description, deadline, assignment...) leaves every cell as it was.
WATCHED = (
    "received_at",
    "status",
    "verified_at",
    "published_at",
    "handled_on_time",
    "rating",
    "agency_id",
    "category_id",
    "unit_id",
    "channel",
)
TRIGGER = "citizen_reports_statistics_cells"
_SQLITE_TRIGGERS = (f"{TRIGGER}_insert", f"{TRIGGER}_update")


def _day_sql(vendor: str, row: str, grain: str) -> str:
    """The local day (grain d) or month (grain m) a report was received, as a date."""
    if vendor == "sqlite":
        shift = f"'+{CELL_OFFSET_MINUTES} minutes'"
        if grain == "m":
            return f"strftime('%Y-%m-01', {row}received_at, {shift})"
        return f"date({row}received_at, {shift})"
    local = f"(({row}received_at AT TIME ZONE 'UTC') + interval '{CELL_OFFSET_MINUTES} minutes')"
    if grain == "m":
        return f"CAST(date_trunc('month', {local}) AS date)"
    return f"CAST({local} AS date)"


def _seconds_sql(vendor: str, row: str) -> str:
    if vendor == "sqlite":
        return f"CAST(ROUND((julianday({row}published_at) - julianday({row}received_at)) * 86400) AS INTEGER)"
    return f"CAST(ROUND(EXTRACT(EPOCH FROM ({row}published_at - {row}received_at))) AS bigint)"


def contribution_sql(vendor: str, row: str, sign: int, grain: str) -> str:
    """A SELECT of the cell key and the measures a report adds (sign 1) or takes away (sign -1).

    `row` prefixes the report's columns: "NEW." / "OLD." in a trigger, "r." over the table."""
    handled = f"{row}published_at IS NOT NULL"
    measures = {
        "received": f"{sign}",
        "verified": f"CASE WHEN {row}verified_at IS NOT NULL THEN {sign} ELSE 0 END",
        "rejected": f"CASE WHEN {row}status = 'rejected' THEN {sign} ELSE 0 END",
        "handled": f"CASE WHEN {handled} THEN {sign} ELSE 0 END",
        "on_time": f"CASE WHEN {handled} AND {row}handled_on_time THEN {sign} ELSE 0 END",
        "handled_late": f"CASE WHEN {handled} AND NOT {row}handled_on_time THEN {sign} ELSE 0 END",
        "handled_seconds": f"CASE WHEN {handled} THEN {sign} * {_seconds_sql(vendor, row)} ELSE 0 END",
        "rating_sum": f"{sign} * COALESCE({row}rating, 0)",
        "rating_count": f"CASE WHEN {row}rating IS NOT NULL THEN {sign} ELSE 0 END",
    }
    key = {
        "grain": f"'{grain}'",
        "day": _day_sql(vendor, row, grain),
        "agency_id": f"COALESCE({row}agency_id, 0)",
        "category_id": f"{row}category_id",
        "unit_id": f"COALESCE({row}unit_id, 0)",
        "channel": f"{row}channel",
    }
    columns = [f"{sql} AS {name}" for name, sql in {**key, **measures}.items()]
    return "SELECT " + ", ".join(columns)


def _summed_insert(source: str) -> str:
    """INSERT INTO the cells the rows of `source` (key and measures) summed by cell key."""
    key = ", ".join(KEY)
    sums = ", ".join(f"SUM({name})" for name in MEASURES)
    return (
        f"INSERT INTO {CELL_TABLE} ({key}, {', '.join(MEASURES)}) "  # noqa: S608 - constant names, no input
        f"SELECT {key}, {sums} FROM ({source}) AS contribution GROUP BY {key}"
    )


def upsert_sql(changes: str) -> str:
    """Add the summed `changes` (a UNION ALL of contributions) to their cells, in key order.

    Summing first lets an update that stays in its cell write once (or not at all: HAVING drops the changes
    that cancel out); the key order makes concurrent transactions on PostgreSQL lock cells in the same order."""
    key = ", ".join(KEY)
    nonzero = " OR ".join(f"SUM({name}) <> 0" for name in MEASURES)
    added = ", ".join(f"{name} = {CELL_TABLE}.{name} + excluded.{name}" for name in MEASURES)
    return f"{_summed_insert(changes)} HAVING {nonzero} ORDER BY {key} ON CONFLICT ({key}) DO UPDATE SET {added}"


def _changes(vendor: str, parts: list[tuple[str, int]]) -> str:
    return " UNION ALL ".join(contribution_sql(vendor, row, sign, grain) for row, sign in parts for grain in "dm")


def install_sql(vendor: str) -> list[str]:
    """The statements that create the triggers (after drop_sql)."""
    if vendor == "sqlite":
        added = upsert_sql(_changes(vendor, [("NEW.", 1)]))
        moved = upsert_sql(_changes(vendor, [("OLD.", -1), ("NEW.", 1)]))
        changed = " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in WATCHED)
        return [
            f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON {REPORT_TABLE} BEGIN {added}; END",
            f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF {', '.join(WATCHED)} ON {REPORT_TABLE} "
            f"WHEN {changed} BEGIN {moved}; END",
        ]
    if vendor != "postgresql":
        raise NotImplementedError(f"statistics cells need triggers written for {vendor}")
    return [
        f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ {_plpgsql_body()} $$",
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE ON {REPORT_TABLE} FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
    ]


def _plpgsql_body() -> str:
    added = upsert_sql(_changes("postgresql", [("NEW.", 1)]))
    moved = upsert_sql(_changes("postgresql", [("OLD.", -1), ("NEW.", 1)]))
    changed = " OR ".join(f"OLD.{name} IS DISTINCT FROM NEW.{name}" for name in WATCHED)
    return f"BEGIN IF TG_OP = 'INSERT' THEN {added}; ELSIF {changed} THEN {moved}; END IF; RETURN NULL; END"


def drop_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]
    return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON {REPORT_TABLE}", f"DROP FUNCTION IF EXISTS {TRIGGER}()"]


def rebuild_sql(vendor: str) -> list[str]:
    """Empty the cells and sum every report again (one GROUP BY per grain)."""
    statements = [f"DELETE FROM {CELL_TABLE}"]  # noqa: S608 - constant names, no input
    for grain in "dm":
        statements.append(_summed_insert(contribution_sql(vendor, "r.", 1, grain) + f" FROM {REPORT_TABLE} r"))
    return statements


def _run(statements: list[str], using: str) -> None:
    with connections[using].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def cells_table_without_rowid(apps: Any, schema_editor: Any) -> None:
    """Migration step, SQLite only: make the (still empty) cells table WITHOUT ROWID, one b-tree keyed by the cell.
    Django writes a rowid table plus a separate index for a composite key, so each upsert of the triggers touched
    twice the pages; measured on the Open311 POST benchmark: 151-162 requests/s before, 192-199 after."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [CELL_TABLE])
        (create,) = cursor.fetchone()
        if create.endswith("WITHOUT ROWID"):
            return
        cursor.execute(f'DROP TABLE "{CELL_TABLE}"')
        cursor.execute(f"{create} WITHOUT ROWID")


def triggers_current(*, using: str = "default") -> bool:
    """Whether the database holds exactly the triggers this code writes (a migration that rebuilds the reports
    table on SQLite drops them; an older release wrote other ones)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name",
                [REPORT_TABLE],
            )
            # The text search index keeps its own triggers on the table (text_index.py): not ours to compare.
            ours = [sql for name, sql in cursor.fetchall() if not name.startswith("citizen_reports_report_fts")]
            return ours == install_sql("sqlite")
        cursor.execute(
            "SELECT p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgname = %s AND t.tgrelid = %s::regclass",
            [TRIGGER, REPORT_TABLE],
        )
        found = [row[0] for row in cursor.fetchall()]
        return found == [f" {_plpgsql_body()} "]


def cells_ensure(*, using: str = "default") -> bool:
    """R3.5: after every `migrate` (post_migrate): when the triggers are missing or outdated, write them again
    and rebuild every cell, in one transaction. Returns whether it had to."""
    if triggers_current(using=using):
        return False
    vendor = connections[using].vendor
    with transaction.atomic(using=using):
        _run([*drop_sql(vendor), *install_sql(vendor)], using)
        cells_rebuild(using=using)
    return True


def triggers_drop(*, using: str = "default") -> None:
    """Stop keeping the cells (bulk loaders, before `cells_ensure` puts the triggers back and rebuilds)."""
    _run(drop_sql(connections[using].vendor), using)


def cells_rebuild(*, using: str = "default") -> int:
    """R3.5: recompute every cell from the reports, in one transaction; returns how many cells there are."""
    with transaction.atomic(using=using):
        _run(rebuild_sql(connections[using].vendor), using)
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {CELL_TABLE}")  # noqa: S608 - as above
            return int(cursor.fetchone()[0])
