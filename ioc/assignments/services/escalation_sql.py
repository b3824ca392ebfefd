"""The set-based writes of the escalation sweep (R3.3, R4.5; issue 12 "Speed"): the steps a batch fires are staged
in a temporary table of the batch's transaction (`escalation_steps`, one row per step, at most one step per
assignment: docs/decisions/0011), and the assignments' timeline rows, the subjects' timeline lines and (on the
row-by-row path only: a batch records one entry listing its steps, docs/decisions/0009) the audit entries are
written from it by one INSERT … SELECT each (the outbox gets one message per recipient, written by the sweep); the
claimed rows' new level, wake-up and accept mark go to a second temporary table (`escalation_rows`) and one UPDATE
releases them, only while the batch's lease is still theirs.

SQLite and PostgreSQL: the JSON objects are built by `json_object` or `jsonb_build_object`; PostgreSQL's
temporary tables empty themselves at commit, SQLite's are emptied here before and after use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from ioc.accounts.models import User
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.audit.models import AuditEntry
from ioc.common import context

STEPS = "escalation_steps"
ROWS = "escalation_rows"

# One staged step: (seq, assignment_id, process, subject_id, subject_label, agency_name, deadline, url, text, step,
# role, due, is_accept, template, urgent, grp, passed, update_id). One step per assignment in a batch (catch-up
# collapses its tiers, docs/decisions/0011); `passed` is the JSON list of what it passed on the way; `update_id` is
# filled on the row-by-row path only (its audit entry names the timeline row).
STEP_COLUMNS = (
    "seq integer, assignment_id bigint, process text, subject_id text, subject_label text, agency_name text, "
    "deadline text, url text, text text, step integer, role text, due text, is_accept {bool}, template text, "
    "urgent {bool}, grp text, passed text, update_id bigint"
)
ROW_COLUMNS = "id bigint, level integer, next_at {ts}, accept_at {ts}"
MAX_PARAMS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _json(*pairs: str) -> str:
    """A JSON object from alternating key literals and SQL expressions."""
    return f"{'jsonb_build_object' if _postgres() else 'json_object'}({', '.join(pairs)})"


def _temp(cursor: Any, name: str, columns: str) -> None:
    postgres = _postgres()
    kinds = {"bool": "boolean" if postgres else "integer", "ts": "timestamptz" if postgres else "text"}
    tail = " ON COMMIT DELETE ROWS" if postgres else ""
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns.format(**kinds)}){tail}")
    cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a name from this module


def clear() -> None:
    """Empty the temporary tables (SQLite keeps their rows after commit; PostgreSQL drops them itself)."""
    with connection.cursor() as cursor:
        for name in (STEPS, ROWS):
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a name from this module


def insert_updates(actor: User, now: dt.datetime) -> dict[int, int]:
    """The timeline rows of the staged steps, by one INSERT … SELECT in the staged order; the id of each
    assignment's row (one step per assignment in a batch)."""
    quote = connection.ops.quote_name
    at = AssignmentUpdate._meta.get_field("at").get_db_prep_save(now, connection)
    table = quote(AssignmentUpdate._meta.db_table)
    false = "false" if _postgres() else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assignment_id, kind, at, actor_id, text, is_public) "  # noqa: S608
            f"SELECT s.assignment_id, %s, %s, %s, s.text, {false} FROM {STEPS} s WHERE 1 = 1 ORDER BY s.seq "
            "RETURNING assignment_id, id",
            [str(UpdateKind.ESCALATE), at, actor.pk],
        )
        return dict(cursor.fetchall())


def stage(steps: Sequence[Sequence[Any]], rows: Sequence[Sequence[Any]]) -> None:
    """Fill the two temporary tables: the fired steps (their timeline row not written yet) and the claimed rows'
    new values."""
    with connection.cursor() as cursor:
        _temp(cursor, STEPS, STEP_COLUMNS)
        _temp(cursor, ROWS, ROW_COLUMNS)
        cursor.executemany(f"INSERT INTO {STEPS} VALUES ({', '.join(['%s'] * 17)}, NULL)", steps)  # noqa: S608
        cursor.executemany(f"INSERT INTO {ROWS} VALUES (%s, %s, %s, %s)", rows)  # noqa: S608


def insert_audit(steps: Sequence[Sequence[Any]], actor: User, now: dt.datetime) -> None:
    """R7.3, the row-by-row path: one `assignment.escalate` entry per staged step, as `audit_record` writes each
    (the step, its role and due time, or the missed accept deadline, what a catch-up passed, and the timeline
    row: `steps`' last column, staged first), by the system account, in one statement."""
    ctx, quote = context.current(), connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {STEPS} SET update_id = %s WHERE seq = %s",  # noqa: S608
            [(step[-1], step[0]) for step in steps],
        )
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
            f"WHERE {table}.id = r.id{held}",
            params,
        )
        return bool(cursor.rowcount == expected)
