"""The set-based writes of the escalation sweep (R3.3, R4.5; issue 12 "Speed"): a batch's rows are claimed into a
temporary table of its transaction (`escalation_batch`: their order and ids), the steps it fires are staged in
another (`escalation_steps`, one row per step, at most one step per assignment: docs/decisions/0011) — planned in
SQL (`escalation_plan`) or, for rows that planner leaves, in Python — and the assignments' timeline rows, the
subjects' timeline lines and (on the row-by-row path only: a batch records one entry listing its steps,
docs/decisions/0009) the audit entries are written from it by one INSERT … SELECT each; the outbox gets one message
per recipient, built from the staged steps grouped by recipients' group. The claimed rows' new level, wake-up and
accept mark go to a third table (`escalation_rows`) and one UPDATE releases them, only while the batch's lease is
still theirs.

SQLite and PostgreSQL: the JSON objects are built by `json_object` or `jsonb_build_object`; PostgreSQL's
temporary tables empty themselves at commit, SQLite's are emptied here before and after use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import DatabaseError, connection
from django.db.models.expressions import RawSQL

from ioc.accounts.models import User
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.audit.models import AuditEntry
from ioc.common import context

logger = logging.getLogger("ioc.assignments")

STEPS = "escalation_steps"
ROWS = "escalation_rows"
BATCH = "escalation_batch"
COMBOS = "escalation_combos"

# One staged step: (seq, assignment_id, process, subject_id, subject_label, agency_name, deadline, url, text, step,
# role, due, is_accept, template, urgent, grp, passed, update_id). One step per assignment in a batch (catch-up
# collapses its tiers, docs/decisions/0011); `passed` is the JSON list of what it passed on the way; `update_id` is
# filled on the row-by-row path only (its audit entry names the timeline row).
STEP_COLUMNS = (
    "seq integer, assignment_id bigint, process text, subject_id text, subject_label text, agency_name text, "
    "deadline text, url text, text text, step integer, role text, due text, is_accept {bool}, template text, "
    "urgent {bool}, grp text, passed text, update_id bigint"
)
# A claimed row's new values; the SQL planner also keeps its batch order, old level, missed acceptance, chain and
# the staged step's due text (`escalation_plan`); the Python planner leaves those NULL.
ROW_COLUMNS = (
    "id bigint, level integer, next_at {ts}, accept_at {ts}, seq integer, old_level integer, missed {bool}, "
    "chain_id bigint, due text"
)
BATCH_COLUMNS = "seq integer, id bigint"
# What the SQL planner fires for a (chain, old level, new level, missed acceptance): the step, its text in pieces
# around its two moments (k1, k2: "D" the tier's due time, "A" the missed accept deadline, "" none).
COMBO_COLUMNS = (
    "chain_id bigint, l integer, m integer, missed {bool}, step integer, role text, urgent {bool}, template text, "
    "is_accept {bool}, passed text, agency_role {bool}, grp_tail text, p0 text, k1 text, p1 text, k2 text, p2 text"
)
TABLES = {STEPS: STEP_COLUMNS, ROWS: ROW_COLUMNS, BATCH: BATCH_COLUMNS, COMBOS: COMBO_COLUMNS}
MAX_PARAMS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _id_range(column: str, staged: str) -> str:
    """On PostgreSQL, `column` bounded by the staged table's lowest and highest id: the batch's temporary tables are
    never analysed, so the planner joined them to the assignments by hashing the whole table, every row read per
    batch (docs/decisions/0017); with the bounds it reads the pk index's range, which a drain's neighbouring ids
    (decision 0015) keep to the batch."""
    if not _postgres():
        return ""
    return f" AND {column} >= (SELECT MIN(id) FROM {staged}) AND {column} <= (SELECT MAX(id) FROM {staged})"  # noqa: S608


def _json(*pairs: str) -> str:
    """A JSON object from alternating key literals and SQL expressions."""
    return f"{'jsonb_build_object' if _postgres() else 'json_object'}({', '.join(pairs)})"


def _temp(cursor: Any, name: str, columns: str) -> None:
    postgres = _postgres()
    kinds = {"bool": "boolean" if postgres else "integer", "ts": "timestamptz" if postgres else "text"}
    tail = " ON COMMIT DELETE ROWS" if postgres else ""
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns.format(**kinds)}){tail}")
    cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a name from this module


# SQLite, a sweep of several batches: WAL frames (pages) between checkpoints, instead of the connection's 1,000 (a
# batch of 2,000 rows writes ~3,700 in the benchmark): pages written by several batches are copied once.
CHECKPOINT_FRAMES = 10_000
TEMP_IN_MEMORY = 2  # PRAGMA temp_store = MEMORY


@contextlib.contextmanager
def sqlite_session() -> Iterator[None]:
    """How a sweep of several batches (a drain, a catch-up) writes on SQLite (docs/decisions/0013), set outside a
    transaction and put back after: the temporary tables and statement journals in memory (`temp_store`), where
    each batch's big statements would copy every page they change into a journal file past its first 64 KiB (a
    third of the drain's writes); a checkpoint every `CHECKPOINT_FRAMES` frames, then one at the end, instead of
    one after each batch. Inside a transaction (a test's, a caller's) nothing is changed: SQLite refuses
    `temp_store` there. The periodic sweep (one batch) leaves its connection as it is."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        temp_store = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_autocheckpoint")
        frames = int(cursor.fetchone()[0])
        if temp_store != TEMP_IN_MEMORY:  # changing it drops the connection's temporary tables (only ours)
            cursor.execute("PRAGMA temp_store = MEMORY")
        spaced = 0 < frames < CHECKPOINT_FRAMES
        if spaced:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_FRAMES}")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                if spaced:
                    cursor.execute(f"PRAGMA wal_autocheckpoint = {frames}")
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                if temp_store != TEMP_IN_MEMORY:
                    cursor.execute(f"PRAGMA temp_store = {temp_store}")
        except DatabaseError:  # a connection left unusable: it is replaced, settings and all
            logger.warning("the sweep's SQLite settings were not put back", exc_info=True)


def ids_in(ids: Sequence[int]) -> RawSQL:
    """`ids` as a subquery for `pk__in` with one parameter (a JSON array on SQLite, an array on PostgreSQL): the
    ORM prepares each value of a list one by one, ~5 ms for a batch's 2,000 ids (docs/decisions/0015)."""
    if _postgres():
        return RawSQL("SELECT unnest(CAST(%s AS bigint[]))", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def begin() -> None:
    """Create (once per connection) and empty the batch's temporary tables."""
    with connection.cursor() as cursor:
        for name, columns in TABLES.items():
            _temp(cursor, name, columns)


def clear() -> None:
    """Empty the temporary tables (SQLite keeps their rows after commit; PostgreSQL drops them itself)."""
    with connection.cursor() as cursor:
        for name in TABLES:
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a name from this module


def claim(query: str, params: Sequence[Any]) -> int:
    """The batch's rows into `escalation_batch`, numbered in their order (`query` selects `id` and
    `next_escalation_at`, ordered, limited and, on PostgreSQL, locked); how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BATCH} (seq, id) SELECT ROW_NUMBER() OVER (ORDER BY x.next_escalation_at, x.id), x.id "  # noqa: S608
            f"FROM ({query}) x",
            params,
        )
        return int(cursor.rowcount)


def batch_chains() -> list[int]:
    """The chains of the batch's rows."""
    table = connection.ops.quote_name(Assignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT a.escalation_chain_id FROM {BATCH} b JOIN {table} a ON a.id = b.id "  # noqa: S608
            f"WHERE a.escalation_chain_id IS NOT NULL{_id_range('a.id', BATCH)}"
        )
        return sorted(chain for (chain,) in cursor.fetchall())


def batch_ids() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {BATCH} ORDER BY seq")  # noqa: S608 - a name from this module
        return [int(pk) for (pk,) in cursor.fetchall()]


def processes() -> list[str]:
    """The processes of the staged steps, in the order of their first step."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT process FROM {STEPS} GROUP BY process ORDER BY MIN(seq)")  # noqa: S608
        return [process for (process,) in cursor.fetchall()]


def unplanned() -> list[tuple[int, int]]:
    """(seq, id) of the batch's rows the SQL planner left (for the Python planner), in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.seq, b.id FROM {BATCH} b WHERE b.id NOT IN (SELECT r.id FROM {ROWS} r) ORDER BY b.seq"  # noqa: S608
        )
        return [(int(seq), int(pk)) for seq, pk in cursor.fetchall()]


def staged_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {STEPS}")  # noqa: S608 - a name from this module
        return int(cursor.fetchone()[0])


def insert_updates(actor: User, now: dt.datetime) -> None:
    """The timeline rows of the staged steps, by one INSERT … SELECT in the staged order; each row's id goes to
    its step's `update_id` (one step per assignment in a batch). PostgreSQL: from the INSERT's RETURNING, in one
    statement; SQLite: the rows past the table's highest id before the INSERT (the write lock is this
    transaction's, so they are its own)."""
    quote = connection.ops.quote_name
    at = AssignmentUpdate._meta.get_field("at").get_db_prep_save(now, connection)
    table = quote(AssignmentUpdate._meta.db_table)
    insert = (
        f"INSERT INTO {table} (assignment_id, kind, at, actor_id, text, is_public) "  # noqa: S608
        f"SELECT s.assignment_id, %s, %s, %s, s.text, {'false' if _postgres() else '0'} FROM {STEPS} s "
        "WHERE 1 = 1 ORDER BY s.seq"
    )
    params = [str(UpdateKind.ESCALATE), at, actor.pk]
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                f"WITH ins AS ({insert} RETURNING assignment_id, id) UPDATE {STEPS} SET update_id = ins.id "  # noqa: S608
                f"FROM ins WHERE {STEPS}.assignment_id = ins.assignment_id",
                params,
            )
            return
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute(insert, params)
        cursor.execute(
            f"UPDATE {STEPS} SET update_id = u.id FROM {table} u "  # noqa: S608
            f"WHERE u.id > %s AND u.assignment_id = {STEPS}.assignment_id",
            [highest],
        )


def listing() -> list[tuple[Any, ...]]:
    """The staged steps for the batch's audit listing, in order: (assignment, process, subject, is_accept, step,
    role, due, update, passed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT assignment_id, process, subject_id, is_accept, step, role, due, update_id, passed "  # noqa: S608
            f"FROM {STEPS} ORDER BY seq"
        )
        return [tuple(row) for row in cursor.fetchall()]


def texts(process: str) -> list[tuple[int, str]]:
    """(assignment, text) of the staged steps of `process`, in order (handlers told row by row)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT assignment_id, text FROM {STEPS} WHERE process = %s ORDER BY seq", [process])  # noqa: S608
        return [(int(pk), str(text)) for pk, text in cursor.fetchall()]


def groups() -> list[tuple[str, int, int, int, int, bool]]:
    """Per recipients' group of the staged steps, in the order of its first step: (group, steps, first step's seq,
    lowest and highest timeline row, any urgent)."""
    urgent = "BOOL_OR(urgent)" if _postgres() else "MAX(urgent)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT grp, COUNT(*), MIN(seq), MIN(update_id), MAX(update_id), {urgent} FROM {STEPS} "  # noqa: S608
            "GROUP BY grp ORDER BY MIN(seq)"
        )
        return [(grp, n, seq, low, high, bool(flag)) for grp, n, seq, low, high, flag in cursor.fetchall()]


def group_items(first: int) -> list[tuple[Any, ...]]:
    """The first `first` staged steps of each recipients' group, in order: (group, seq, assignment, subject,
    label, agency, deadline, url, text, template, urgent, update). The window sorts the keys only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT grp, seq, assignment_id, subject_id, subject_label, agency_name, deadline, url, text, template, "  # noqa: S608
            f"urgent, update_id FROM {STEPS} WHERE seq IN (SELECT seq FROM (SELECT seq, ROW_NUMBER() OVER "
            f"(PARTITION BY grp ORDER BY seq) AS rn FROM {STEPS}) t WHERE rn <= %s) ORDER BY seq",
            [first],
        )
        return [tuple(row) for row in cursor.fetchall()]


def stage(steps: Sequence[Sequence[Any]], rows: Sequence[Sequence[Any]]) -> None:
    """The Python planner's part: its fired steps (their timeline row not written yet) and its rows' new values."""
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {STEPS} VALUES ({', '.join(['%s'] * 17)}, NULL)", steps)  # noqa: S608
        cursor.executemany(f"INSERT INTO {ROWS} (id, level, next_at, accept_at) VALUES (%s, %s, %s, %s)", rows)  # noqa: S608


def insert_audit(actor: User, now: dt.datetime) -> None:
    """R7.3, the row-by-row path: one `assignment.escalate` entry per staged step, as `audit_record` writes each
    (the step, its role and due time, or the missed accept deadline, what a catch-up passed, and the timeline
    row, `insert_updates` first), by the system account, in one statement."""
    ctx, quote = context.current(), connection.ops.quote_name
    created = AuditEntry._meta.get_field("created_at").get_db_prep_save(now, connection)
    label = "COALESCE(NULLIF(s.subject_label, ''), s.subject_id) || ' → ' || s.agency_name"
    passed = "CAST(s.passed AS jsonb)" if _postgres() else "json(s.passed)"
    accept = _json("'accept_due'", "s.due", "'role'", "s.role", "'update'", "s.update_id")
    step = _json(
        *("'step'", "s.step", "'role'", "s.role", "'due'", "s.due"), *("'update'", "s.update_id", "'passed'", passed)
    )
    id_text = "CAST(s.assignment_id AS text)" if _postgres() else "CAST(s.assignment_id AS TEXT)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} (created_at, actor_id, actor_label, action, "  # noqa: S608
            "object_type, object_id, object_repr, changes, address, request_id, row_count, digest, position, link) "
            f"SELECT %s, %s, %s, %s, %s, {id_text}, SUBSTR({label}, 1, 200), "
            f"CASE WHEN s.is_accept THEN {accept} ELSE {step} END, %s, %s, NULL, '', NULL, '' "
            f"FROM {STEPS} s ORDER BY s.seq",
            [
                created,
                actor.pk,
                actor.get_username(),
                f"assignment.{UpdateKind.ESCALATE}",
                Assignment._meta.label_lower,
                ctx.address,
                ctx.request_id,
            ],
        )


def release(lease: dt.datetime | None, expected: int) -> bool:
    """Write the staged rows' level, wake-up and accept mark and free them, only while `lease` is still theirs
    (None: rows locked by this transaction, taken without a lease); False when fewer than `expected` rows were
    (another worker took one after this worker's lease expired)."""
    quote = connection.ops.quote_name
    table = quote(Assignment._meta.db_table)
    held, params = "", []
    if lease is not None:
        held = f" AND {table}.escalation_lease_until = %s"
        params = [Assignment._meta.get_field("escalation_lease_until").get_db_prep_save(lease, connection)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET escalation_level = r.level, next_escalation_at = r.next_at, "  # noqa: S608
            f"accept_escalated_at = r.accept_at, escalation_lease_until = NULL FROM {ROWS} r "
            f"WHERE {table}.id = r.id{held}{_id_range(f'{table}.id', ROWS)}",
            params,
        )
        return bool(cursor.rowcount == expected)
